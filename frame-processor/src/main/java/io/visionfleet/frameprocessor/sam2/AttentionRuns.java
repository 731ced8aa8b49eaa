package io.visionfleet.frameprocessor.sam2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tracked objects share a memory-attention run. The attention has no key mask, so one run takes only objects whose
 * selections hold as many memories and pointers: with a batched graph the objects are grouped by (M, P), groups in the
 * order their first object comes, and each group is cut into runs of at most {@code most}; without one every object
 * runs alone.
 */
final class AttentionRuns {
    private AttentionRuns() {
    }

    /** @param selections each object's selection, in tracking order */
    static <T> List<List<T>> of(Map<T, ? extends MemorySelection<?, ?>> selections, boolean batched, int most) {
        Map<List<Integer>, List<T>> groups = new LinkedHashMap<>();
        selections.forEach((o, selection) -> {
            List<Integer> key = batched
                    ? List.of(selection.memories().size(), selection.pointers().size()) : List.of(groups.size());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
        });
        List<List<T>> runs = new ArrayList<>();
        for (List<T> group : groups.values()) {
            for (int i = 0; i < group.size(); i += most) {
                runs.add(group.subList(i, Math.min(group.size(), i + most)));
            }
        }
        return runs;
    }
}
