package io.visionfleet.frameprocessor.sam2;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One prompt-decoder run's host side: its objects' prompts and mask inputs packed as the graph takes them, and its
 * outputs read back into the objects (the chosen mask's logits, IoU and pointer, or the occluded state). The buffers
 * only grow, so a steady stream decodes without allocating them.
 */
final class DecoderBatch {
    /** {@code NO_OBJ_SCORE}: the mask logits of an occluded object. */
    static final float NO_OBJECT_LOGIT = -1024f;

    private final int maskFloats;
    private final int channels;
    private final Floats coords = new Floats();
    private final Floats labels = new Floats();
    private final Floats maskInput = new Floats();
    private final Floats hasMask = new Floats();
    private final Floats masks = new Floats();
    private final Floats ious = new Floats();
    private final Floats pointers = new Floats();
    private final Floats scores = new Floats();
    private List<Item> items;
    private boolean withMask;

    /** One entry: the prompt in network coordinates (one padding point on tracked frames) and an optional mask input. */
    record Item(Sam2Object object, float[] coords, float[] labels, float[] mask) {
        /** A tracked frame's entry: no prompt (one padding point at (0, 0)), no mask input. */
        static Item tracked(Sam2Object object) {
            return new Item(object, new float[2], new float[]{Sam2Graphs.PADDING}, null);
        }

        static Item prompted(Sam2Object object, PromptPoints points, float[] mask) {
            return new Item(object, points.coords(), points.labels(), mask);
        }

        int points() {
            return labels.length;
        }
    }

    DecoderBatch(Sam2Shapes shapes) {
        this.maskFloats = shapes.maskFloats();
        this.channels = shapes.channels();
    }

    /** Packs {@code items}: all with the same number of points, all with or all without a mask input. */
    void pack(List<Item> items) {
        this.items = items;
        this.withMask = items.get(0).mask() != null;
        FloatBuffer xy = coords.view(size() * points() * 2);
        FloatBuffer lab = labels.view(size() * points());
        FloatBuffer maskIn = maskInput.view(size() * maskFloats);
        for (Item item : items) {
            xy.put(item.coords());
            lab.put(item.labels());
            if (withMask) {
                maskIn.put(item.mask());
            }
        }
    }

    int size() {
        return items.size();
    }

    int points() {
        return items.get(0).points();
    }

    /** {@code point_coords}, [B, N, 2]. */
    FloatBuffer coords() {
        return coords.view(size() * points() * 2);
    }

    /** {@code point_labels}, [B, N]. */
    FloatBuffer labels() {
        return labels.view(size() * points());
    }

    /** {@code mask_input}, [B, 1, R, R]; what is there is ignored unless {@link #hasMask()} is 1. */
    FloatBuffer maskInput() {
        return maskInput.view(size() * maskFloats);
    }

    /** {@code has_mask}, [1]. */
    FloatBuffer hasMask() {
        return hasMask.view(1).put(0, withMask ? 1 : 0);
    }

    /** Output {@code masks}, [B, 4, R, R]. */
    FloatBuffer masks() {
        return masks.view(size() * 4 * maskFloats);
    }

    /** Output {@code iou}, [B, 4]. */
    FloatBuffer ious() {
        return ious.view(size() * 4);
    }

    /** Output {@code obj_ptrs}, [B, 4, channels]. */
    FloatBuffer pointers() {
        return pointers.view(size() * 4 * channels);
    }

    /** Output {@code obj_score}, [B, 1]. */
    FloatBuffer scores() {
        return scores.view(size());
    }

    /**
     * Takes each object's result from the outputs: its score, and the chosen output's IoU, logits and pointer
     * ({@link MaskChoice}; on tracked frames as with at most one point), or while occluded logits of
     * {@value #NO_OBJECT_LOGIT} everywhere and {@code noObjPtr}.
     */
    void read(boolean tracking, float[] noObjPtr) {
        FloatBuffer outMasks = masks();
        FloatBuffer outIou = ious();
        FloatBuffer outPtrs = pointers();
        FloatBuffer outScores = scores();
        float[] iou = new float[4];
        for (int i = 0; i < size(); i++) {
            Sam2Object o = items.get(i).object();
            outIou.get(i * 4, iou);
            FloatBuffer objectMasks = Floats.slice(outMasks, i * 4 * maskFloats, 4 * maskFloats);
            MaskChoice choice = MaskChoice.of(objectMasks, maskFloats, iou, tracking ? 0 : items.get(i).points());
            o.objectScore = outScores.get(i);
            o.iou = iou[choice.mask()];
            if (o.occluded()) {
                Arrays.fill(o.logits, NO_OBJECT_LOGIT);
                o.pointer = noObjPtr.clone();
            } else {
                objectMasks.get(choice.mask() * maskFloats, o.logits);
                o.pointer = new float[channels];
                outPtrs.get((i * 4 + choice.pointer()) * channels, o.pointer);
            }
        }
    }
}
