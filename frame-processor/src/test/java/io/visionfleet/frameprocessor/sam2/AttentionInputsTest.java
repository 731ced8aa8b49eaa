package io.visionfleet.frameprocessor.sam2;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A memory-attention run's inputs packed from two objects' selections. */
@Tag("quick")
class AttentionInputsTest {
    private static final int MEMORY_FLOATS = 2;
    private static final int CHANNELS = 3;

    /** An object prompted at frame 0 and tracked on frame 1; payloads start at {@code base}. */
    private static MemorySelection<FloatBuffer, float[]> selection(float base) {
        MemoryBank<FloatBuffer, float[]> bank = new MemoryBank<>(4);
        bank.add(0, true, Floats.allocate(MEMORY_FLOATS).put(new float[]{base, base + 1}).clear(),
                new float[]{base + 10, base + 11, base + 12});
        bank.add(1, false, Floats.allocate(MEMORY_FLOATS).put(new float[]{base + 2, base + 3}).clear(),
                new float[]{base + 20, base + 21, base + 22});
        return bank.select(2);
    }

    private static float[] floats(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    private static long[] longs(LongBuffer b) {
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void objectsArePackedSideBySideInTheSelectionsOrder() {
        AttentionInputs inputs = new AttentionInputs(MEMORY_FLOATS, CHANNELS, 1);
        inputs.pack(List.of(selection(100), selection(200)));
        // per object: the conditioning frame 0 (slot 6), then frame 1, one frame back (slot 0)
        assertThat(floats(inputs.memories())).containsExactly(100, 101, 102, 103, 200, 201, 202, 203);
        assertThat(longs(inputs.slots())).containsExactly(6, 0, 6, 0);
        // pointers: the conditioning frame first (2 frames back), then the previous frames from the newest
        assertThat(floats(inputs.pointers())).containsExactly(110, 111, 112, 120, 121, 122, 210, 211, 212, 220, 221, 222);
        assertThat(floats(inputs.distances())).containsExactly(2, 1, 2, 1);
    }

    @Test
    void aSmallerRunAfterALargerOneHoldsOnlyItsOwnInputs() {
        AttentionInputs inputs = new AttentionInputs(MEMORY_FLOATS, CHANNELS, 1);
        inputs.pack(List.of(selection(100), selection(200)));
        inputs.pack(List.of(selection(300)));
        assertThat(floats(inputs.memories())).containsExactly(300, 301, 302, 303);
        assertThat(longs(inputs.slots())).containsExactly(6, 0);
        assertThat(floats(inputs.pointers())).containsExactly(310, 311, 312, 320, 321, 322);
        assertThat(floats(inputs.distances())).containsExactly(2, 1);
    }
}
