package io.visionfleet.frameprocessor.sam2;

import java.nio.FloatBuffer;

/**
 * Which of the decoder's four outputs an object takes on a frame, as SAM2.1's video predictor decides it: with at
 * most one point (every tracked frame, a single click) the best-IoU multimask output gives mask and pointer; with more
 * (a box, several clicks) token 0 gives the pointer and its mask unless that mask is unstable (stability below 0.98
 * with a 0.05 logit band), when the best-IoU multimask output gives the mask only.
 *
 * @param mask    index of the mask (0-3) in the decoder output
 * @param pointer index of the object pointer (0-3)
 */
record MaskChoice(int mask, int pointer) {
    static final double STABILITY_DELTA = 0.05;
    static final double STABILITY_THRESHOLD = 0.98;
    /** {@code multimask_max_pt_num}: more points than this and the single-mask token is used. */
    static final int MULTIMASK_MAX_POINTS = 1;

    /**
     * @param masks  the object's four mask logits, {@code maskFloats} each, in output order
     * @param iou    the four predicted IoUs
     * @param points how many points the prompt had (box corners count, padding does not); 0 on tracked frames
     */
    static MaskChoice of(FloatBuffer masks, int maskFloats, float[] iou, int points) {
        int best = 1;
        for (int i = 2; i < 4; i++) {
            if (iou[i] > iou[best]) {
                best = i;
            }
        }
        if (points <= MULTIMASK_MAX_POINTS) {
            return new MaskChoice(best, best);
        }
        return new MaskChoice(stability(masks, 0, maskFloats) >= STABILITY_THRESHOLD ? 0 : best, 0);
    }

    /** Area above +delta over area above -delta; 1 for an empty mask. */
    static double stability(FloatBuffer masks, int offset, int floats) {
        int inner = 0;
        int outer = 0;
        for (int i = offset; i < offset + floats; i++) {
            float v = masks.get(i);
            if (v > STABILITY_DELTA) {
                inner++;
            }
            if (v > -STABILITY_DELTA) {
                outer++;
            }
        }
        return outer == 0 ? 1 : (double) inner / outer;
    }
}
