package io.visionfleet.frameprocessor.sam2;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which objects share a memory-attention run, with selections made by real banks. */
@Tag("quick")
class AttentionRunsTest {
    private static final long NOW = 20;

    /** A bank prompted at {@code prompted} and tracked on every frame since, as it selects for frame {@value NOW}. */
    private static MemorySelection<String, String> trackedSince(long prompted) {
        MemoryBank<String, String> bank = new MemoryBank<>(2);
        for (long f = prompted; f < NOW; f++) {
            bank.add(f, f == prompted, "m" + f, "p" + f);
        }
        return bank.select(NOW);
    }

    /** a, c and d tracked long enough to attend 1 + 6 memories and 1 + 15 pointers; b prompted one frame ago. */
    private static Map<String, MemorySelection<String, String>> selections() {
        Map<String, MemorySelection<String, String>> s = new LinkedHashMap<>();
        s.put("a", trackedSince(0));
        s.put("b", trackedSince(NOW - 1));
        s.put("c", trackedSince(2));
        s.put("d", trackedSince(NOW - 16));
        return s;
    }

    @Test
    void withABatchedGraphObjectsWithAsManyMemoriesAndPointersShareARun() {
        Map<String, MemorySelection<String, String>> s = selections();
        assertThat(s.get("a").memories()).hasSize(7);
        assertThat(s.get("a").pointers()).hasSize(16);
        assertThat(s.get("b").memories()).hasSize(1);
        assertThat(s.get("b").pointers()).hasSize(1);
        assertThat(AttentionRuns.of(s, true, 8)).containsExactly(List.of("a", "c", "d"), List.of("b"));
    }

    @Test
    void aGroupLargerThanTheMostPerRunIsCutInOrder() {
        assertThat(AttentionRuns.of(selections(), true, 2)).containsExactly(List.of("a", "c"), List.of("d"), List.of("b"));
    }

    @Test
    void withoutABatchedGraphEveryObjectRunsAlone() {
        assertThat(AttentionRuns.of(selections(), false, 8))
                .containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("d"));
    }
}
