package io.visionfleet.frameprocessor.sam2;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The INIT embedding: vision features plus no_mem_embed per channel, once per frame. */
@Tag("quick")
class InitEmbeddingTest {
    /** 2 channels on a 2x2 grid. */
    private static final Sam2Shapes SHAPES = new Sam2Shapes(32, 2, 2, 1, 8, 1, 4, 8, 1);

    private static float[] floats(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void eachChannelGetsItsOwnEmbeddingAddedAndTheSumIsKeptUntilTheNextFrame() {
        FloatBuffer vision = Floats.allocate(SHAPES.embedFloats()).put(new float[]{1, 2, 3, 4, 5, 6, 7, 8});
        InitEmbedding init = new InitEmbedding(vision, new float[]{0.5f, -1}, SHAPES);
        init.newFrame();
        assertThat(floats(init.get())).containsExactly(1.5f, 2.5f, 3.5f, 4.5f, 4, 5, 6, 7);

        vision.put(0, 100);
        assertThat(init.get().get(0)).as("same frame: computed once").isEqualTo(1.5f);
        init.newFrame();
        assertThat(init.get().get(0)).isEqualTo(100.5f);
    }
}
