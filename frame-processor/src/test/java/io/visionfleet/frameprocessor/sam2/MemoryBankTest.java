package io.visionfleet.frameprocessor.sam2;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory bank frame by frame against SAM2.1's reference selection (transcribed below without eviction). */
@Tag("quick")
class MemoryBankTest {
    /** "memory:frame" and "pointer:frame" payloads make every selected item name the frame it came from. */
    private static MemoryBank<String, String> bank(int maxConditioning) {
        return new MemoryBank<>(maxConditioning);
    }

    private static void store(MemoryBank<String, String> bank, long frame, boolean conditioning) {
        bank.add(frame, conditioning, "m" + frame, "p" + frame);
    }

    private static List<String> memories(MemorySelection<String, String> s) {
        return s.memories().stream().map(m -> m.payload() + "@" + m.slot()).toList();
    }

    private static List<String> pointers(MemorySelection<String, String> s) {
        return s.pointers().stream().map(p -> p.payload() + "@" + p.distance()).toList();
    }

    @Test
    void theFrameAfterAPromptAttendsItsConditioningMemoryInSlotSixAndItsPointerAtDistanceOne() {
        MemoryBank<String, String> bank = bank(4);
        store(bank, 0, true);
        MemorySelection<String, String> s = bank.select(1);
        // frame 0 is a selected conditioning frame: it is not read again as "one frame back"
        assertThat(memories(s)).containsExactly("m0@6");
        assertThat(pointers(s)).containsExactly("p0@1");
    }

    @Test
    void previousFramesTakeSlotsByHowFarBackTheyAreAndPointersTheirDistance() {
        MemoryBank<String, String> bank = bank(4);
        store(bank, 10, true);
        for (long f = 11; f <= 19; f++) {
            store(bank, f, false);
        }
        MemorySelection<String, String> s = bank.select(20);
        // the oldest of the six previous frames first; the newest (19, one back) uses slot 0
        assertThat(memories(s)).containsExactly("m10@6", "m14@5", "m15@4", "m16@3", "m17@2", "m18@1", "m19@0");
        assertThat(pointers(s)).containsExactly("p10@10", "p19@1", "p18@2", "p17@3", "p16@4", "p15@5", "p14@6",
                "p13@7", "p12@8", "p11@9");
    }

    @Test
    void pointersReachFifteenFramesBackAndTheConditioningPointerIsKeptAtItsRealDistance() {
        MemoryBank<String, String> bank = bank(4);
        store(bank, 0, true);
        for (long f = 1; f < 100; f++) {
            store(bank, f, false);
        }
        MemorySelection<String, String> s = bank.select(100);
        assertThat(s.pointers()).hasSize(MemoryBank.MAX_OBJECT_POINTERS);
        assertThat(s.pointers().get(0)).isEqualTo(new MemorySelection.Pointer<>(0, 100, "p0"));
        assertThat(s.pointers().subList(1, 16)).extracting(MemorySelection.Pointer::frame)
                .containsExactly(99L, 98L, 97L, 96L, 95L, 94L, 93L, 92L, 91L, 90L, 89L, 88L, 87L, 86L, 85L);
        assertThat(s.memories()).hasSize(MemoryBank.NUM_MASKMEM);
    }

    @Test
    void anEndlessStreamKeepsABoundedBankAndFreesEachMemoryOnce() {
        MemoryBank<String, String> bank = bank(2);
        Set<String> freed = new HashSet<>();
        for (long f = 0; f < 10_000; f++) {
            boolean correction = f % 500 == 0; // a conditioning frame now and then
            for (String m : bank.add(f, correction, "m" + f, "p" + f)) {
                assertThat(freed.add(m)).as("%s freed twice", m).isTrue();
            }
            assertThat(bank.size()).isLessThanOrEqualTo(2 + MemoryBank.MAX_OBJECT_POINTERS);
        }
        // non-conditioning memories leave after 6 frames, their pointers after 15; old conditioning frames go too
        assertThat(freed).contains("m9993", "m0", "m500").doesNotContain("m9994", "m9500", "m9000");
        assertThat(bank.clear()).containsExactlyInAnyOrder("m9000", "m9500", "m9994", "m9995", "m9996",
                "m9997", "m9998", "m9999");
    }

    @Test
    void anOccludedOrCorrectedFrameReplacesTheTrackedOutputOfThatFrame() {
        MemoryBank<String, String> bank = bank(4);
        store(bank, 0, true);
        store(bank, 1, false);
        // a correction prompt on frame 1 made it a conditioning frame after it was tracked
        assertThat(bank.add(1, true, "m1-corrected", "p1-corrected")).containsExactly("m1");
        MemorySelection<String, String> s = bank.select(2);
        assertThat(memories(s)).containsExactly("m0@6", "m1-corrected@6");
        assertThat(pointers(s)).containsExactly("p0@2", "p1-corrected@1");
    }

    @Test
    void withMoreConditioningFramesThanTheCapTheClosestAreSelectedAndTheOthersServeAsPreviousFrames() {
        MemoryBank<String, String> bank = bank(2);
        for (long f = 0; f <= 5; f++) {
            store(bank, f, true);
        }
        MemorySelection<String, String> s = bank.select(6);
        // selected: 5 (closest before), then 4 (closest by distance); 0..3 are unselected and read as previous frames
        assertThat(memories(s)).containsExactly("m5@6", "m4@6", "m0@5", "m1@4", "m2@3", "m3@2");
        assertThat(pointers(s)).containsExactly("p5@1", "p4@2", "p3@3", "p2@4", "p1@5", "p0@6");
    }

    @Test
    void trackingNeedsAConditioningFrameAndTheCapMustAllowOne() {
        assertThatThrownBy(() -> bank(1).select(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bank(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overLongRandomSessionsEverySelectionEqualsTheReferenceWithoutEviction() {
        Random random = new Random(7);
        for (int run = 0; run < 20; run++) {
            int cap = 2 + random.nextInt(3);
            MemoryBank<String, String> bank = bank(cap);
            Reference reference = new Reference(cap);
            long start = random.nextInt(5);
            store(bank, start, true);
            reference.add(start, true);
            for (long t = start + 1; t < start + 400; t++) {
                MemorySelection<String, String> expected = reference.select(t);
                MemorySelection<String, String> actual = bank.select(t);
                assertThat(memories(actual)).as("memories of frame %d", t).isEqualTo(memories(expected));
                assertThat(pointers(actual)).as("pointers of frame %d", t).isEqualTo(pointers(expected));
                boolean conditioning = random.nextInt(25) == 0;
                store(bank, t, conditioning);
                reference.add(t, conditioning);
            }
        }
    }

    /**
     * {@code _prepare_memory_conditioned_features} and {@code select_closest_cond_frames} of the reference for forward
     * tracking in eval mode with stride 1, over dicts that are never pruned.
     */
    private static final class Reference {
        final int cap;
        final Map<Long, String> cond = new LinkedHashMap<>();
        final Map<Long, String> nonCond = new LinkedHashMap<>();

        Reference(int cap) {
            this.cap = cap;
        }

        void add(long t, boolean conditioning) {
            (conditioning ? cond : nonCond).put(t, "m" + t);
            (conditioning ? nonCond : cond).remove(t);
        }

        MemorySelection<String, String> select(long t) {
            List<Long> selected = new ArrayList<>();
            if (cond.size() <= cap) {
                selected.addAll(cond.keySet());
            } else {
                cond.keySet().stream().filter(f -> f < t).max(Long::compare).ifPresent(selected::add);
                cond.keySet().stream().filter(f -> f >= t).min(Long::compare).ifPresent(selected::add);
                int remain = cap - selected.size();
                cond.keySet().stream().filter(f -> !selected.contains(f))
                        .sorted(Comparator.comparingLong(f -> Math.abs(f - t))).limit(remain).toList().forEach(selected::add);
            }
            List<MemorySelection.Memory<String>> memories = new ArrayList<>();
            for (long f : selected) {
                memories.add(new MemorySelection.Memory<>(f, 7 - 0 - 1, "m" + f));
            }
            for (int tPos = 1; tPos < 7; tPos++) {
                int tRel = 7 - tPos;
                long prev = t - tRel;
                String out = nonCond.containsKey(prev) ? nonCond.get(prev)
                        : cond.containsKey(prev) && !selected.contains(prev) ? cond.get(prev) : null;
                if (out != null) {
                    memories.add(new MemorySelection.Memory<>(prev, 7 - tPos - 1, out));
                }
            }
            List<MemorySelection.Pointer<String>> pointers = new ArrayList<>();
            for (long f : selected) {
                if (f <= t) {
                    pointers.add(new MemorySelection.Pointer<>(f, t - f, "p" + f));
                }
            }
            for (int tDiff = 1; tDiff < 16; tDiff++) {
                long f = t - tDiff;
                if (f < 0) {
                    break;
                }
                if (nonCond.containsKey(f) || (cond.containsKey(f) && !selected.contains(f))) {
                    pointers.add(new MemorySelection.Pointer<>(f, tDiff, "p" + f));
                }
            }
            return new MemorySelection<>(memories, pointers);
        }
    }
}
