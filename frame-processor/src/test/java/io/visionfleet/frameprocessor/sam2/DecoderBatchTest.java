package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoder's inputs as packed from prompts and tracked objects, and its outputs as read into the objects. */
@Tag("quick")
class DecoderBatchTest {
    /** 2x2 mask logits (4 floats), pointers of 2 channels. */
    private static final Sam2Shapes SHAPES = new Sam2Shapes(64, 2, 2, 1, 8, 1, 4, 2, 1);
    private static final float[] NO_OBJ_PTR = {-7, -8};

    private final DecoderBatch batch = new DecoderBatch(SHAPES);

    private static Sam2Object object() {
        return new Sam2Object(SHAPES.maskFloats(), 1, null, false);
    }

    private static float[] floats(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void trackedObjectsGoInWithOnePaddingPointAndNoMaskInput() {
        batch.pack(List.of(DecoderBatch.Item.tracked(object()), DecoderBatch.Item.tracked(object())));
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.points()).isEqualTo(1);
        assertThat(floats(batch.coords())).containsExactly(0, 0, 0, 0);
        assertThat(floats(batch.labels())).containsExactly(-1, -1);
        assertThat(floats(batch.hasMask())).containsExactly(0);
    }

    @Test
    void aBoxCorrectionGoesInAsItsCornersInNetworkPixelsWithItsMaskInput() {
        // a 128x32 frame on the 64x64 input: x halves, y doubles
        PromptPoints box = PromptPoints.of(new Prompt(1L, List.of(), new Box(10, 4, 60, 8), null), 128, 32, 64);
        float[] previous = {-32, 1.5f, 32, 0.1f};
        batch.pack(List.of(DecoderBatch.Item.prompted(object(), box, previous)));
        assertThat(batch.points()).isEqualTo(2);
        assertThat(floats(batch.coords())).containsExactly(5, 8, 35, 24);
        assertThat(floats(batch.labels())).containsExactly(2, 3);
        assertThat(floats(batch.maskInput())).containsExactly(previous);
        assertThat(floats(batch.hasMask())).containsExactly(1);
    }

    @Test
    void eachObjectTakesItsChosenOutputOrTheOccludedStateWhenItsScoreIsNotAboveZero() {
        Sam2Object visible = object();
        Sam2Object occluded = object();
        batch.pack(List.of(DecoderBatch.Item.tracked(visible), DecoderBatch.Item.tracked(occluded)));
        FloatBuffer masks = batch.masks();
        for (int i = 0; i < 2 * 4 * 4; i++) {
            masks.put(i, i); // object, output, pixel: value = 16 * object + 4 * output + pixel
        }
        batch.ious().put(new float[]{0.9f, 0.2f, 0.8f, 0.3f, 0.1f, 0.6f, 0.5f, 0.4f});
        FloatBuffer pointers = batch.pointers();
        for (int i = 0; i < 2 * 4 * 2; i++) {
            pointers.put(i, 100 + i);
        }
        batch.scores().put(new float[]{0.5f, 0f});

        batch.read(true, NO_OBJ_PTR);

        // tracked: the best-IoU multimask output (2) gives mask, IoU and pointer, token 0's 0.9 notwithstanding
        assertThat(visible.objectScore).isEqualTo(0.5f);
        assertThat(visible.iou).isEqualTo(0.8f);
        assertThat(visible.logits).containsExactly(8, 9, 10, 11);
        assertThat(visible.pointer).containsExactly(104, 105);
        // a score of 0 is occluded: -1024 logits and a copy of no_obj_ptr; the IoU is still the chosen output's
        assertThat(occluded.occluded()).isTrue();
        assertThat(occluded.iou).isEqualTo(0.6f);
        assertThat(occluded.logits).containsOnly(DecoderBatch.NO_OBJECT_LOGIT);
        assertThat(occluded.pointer).containsExactly(NO_OBJ_PTR).isNotSameAs(NO_OBJ_PTR);
    }

    @Test
    void aBoxPromptTakesTokenZeroWhenItsMaskIsStable() {
        Sam2Object o = object();
        PromptPoints box = PromptPoints.of(new Prompt(null, List.of(), new Box(0, 0, 10, 10), null), 64, 64, 64);
        batch.pack(List.of(DecoderBatch.Item.prompted(o, box, null)));
        batch.masks().put(new float[]{3, 3, -3, -3, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4});
        batch.ious().put(new float[]{0.1f, 0.2f, 0.3f, 0.9f});
        batch.pointers().put(new float[]{1, 2, 3, 4, 5, 6, 7, 8});
        batch.scores().put(0, 2f);

        batch.read(false, NO_OBJ_PTR);

        assertThat(o.logits).containsExactly(3, 3, -3, -3);
        assertThat(o.iou).isEqualTo(0.1f);
        assertThat(o.pointer).containsExactly(1, 2);
    }
}
