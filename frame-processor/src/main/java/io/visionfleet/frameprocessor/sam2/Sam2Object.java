package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;

import java.nio.FloatBuffer;

/** One tracked object of a stream: its memory bank, the mask logits of its latest frame and what it reports. */
final class Sam2Object {
    /** 0 until the object is registered (a seed whose mask is rejected never gets one). */
    long id;
    final MemoryBank<FloatBuffer, float[]> bank;
    /** Chosen low-resolution mask logits of the latest frame (-1024 everywhere while occluded). */
    final float[] logits;
    String label;
    boolean prompted;
    float[] pointer;
    float objectScore;
    float iou;
    int lostFrames;
    Box box;
    /** Frame-sized mask of the latest frame, null while occluded; lives until the frame's pointer scope closes. */
    Mask mask;

    Sam2Object(int maskFloats, int maxConditioning, String label, boolean prompted) {
        this.bank = new MemoryBank<>(maxConditioning);
        this.logits = new float[maskFloats];
        this.label = label;
        this.prompted = prompted;
    }

    boolean occluded() {
        return objectScore <= 0;
    }
}
