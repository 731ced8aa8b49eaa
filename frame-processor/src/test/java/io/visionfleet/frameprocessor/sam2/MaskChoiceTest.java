package io.visionfleet.frameprocessor.sam2;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The predictor's choice among the decoder's four outputs. */
@Tag("quick")
class MaskChoiceTest {
    private static final int PIXELS = 100;

    /** Four masks: token 0 with {@code band} pixels inside the ±0.05 band, the others clearly split. */
    private static FloatBuffer masks(int band) {
        FloatBuffer b = Floats.allocate(4 * PIXELS);
        for (int i = 0; i < 4 * PIXELS; i++) {
            b.put(i, i % PIXELS < 50 ? 5f : -5f);
        }
        for (int i = 50; i < 50 + band; i++) {
            b.put(i, 0.01f);
        }
        return b;
    }

    @Test
    void trackedFramesAndSingleClicksTakeTheBestMultimaskOutputForMaskAndPointer() {
        float[] iou = {0.99f, 0.4f, 0.7f, 0.6f};
        assertThat(MaskChoice.of(masks(0), PIXELS, iou, 0)).isEqualTo(new MaskChoice(2, 2));
        assertThat(MaskChoice.of(masks(0), PIXELS, iou, 1)).isEqualTo(new MaskChoice(2, 2));
    }

    @Test
    void boxesAndSeveralClicksTakeTokenZeroUnlessItsMaskIsUnstable() {
        float[] iou = {0.5f, 0.4f, 0.6f, 0.9f};
        assertThat(MaskChoice.of(masks(0), PIXELS, iou, 2)).isEqualTo(new MaskChoice(0, 0));
        // 5 of 55 pixels above -0.05 are not above +0.05: stability 50/55 < 0.98, the mask (only) falls back
        assertThat(MaskChoice.stability(masks(5), 0, PIXELS)).isEqualTo(50.0 / 55);
        assertThat(MaskChoice.of(masks(5), PIXELS, iou, 3)).isEqualTo(new MaskChoice(3, 0));
    }

    @Test
    void anEmptyMaskCountsAsStable() {
        FloatBuffer empty = Floats.allocate(4 * PIXELS);
        for (int i = 0; i < 4 * PIXELS; i++) {
            empty.put(i, -3f);
        }
        assertThat(MaskChoice.stability(empty, 0, PIXELS)).isEqualTo(1.0);
    }
}
