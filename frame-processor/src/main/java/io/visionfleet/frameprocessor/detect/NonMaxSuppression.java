package io.visionfleet.frameprocessor.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression per class: a box is dropped when a stronger box of its class overlaps it too much. */
final class NonMaxSuppression {
    private NonMaxSuppression() {
    }

    static List<Detection> apply(List<Detection> candidates, double maxIou, int maxDetections) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            if (kept.size() == maxDetections) {
                break;
            }
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.classId() == d.classId() && k.box().iou(d.box()) > maxIou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }
}
