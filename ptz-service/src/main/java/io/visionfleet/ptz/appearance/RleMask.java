package io.visionfleet.ptz.appearance;

import java.util.Arrays;
import java.util.List;

/**
 * Decodes the RLE masks of {@code processed_frame} objects (COCO style over the row-major mask: counts alternate
 * background and object runs, starting with background; docs/messages.md) into one byte per pixel.
 */
public final class RleMask {
    private RleMask() {
    }

    /** 255 inside the object, 0 outside; null when the counts are negative or overrun {@code width x height}. */
    public static byte[] decode(int width, int height, List<Integer> counts) {
        if (width <= 0 || height <= 0 || counts == null) {
            return null;
        }
        byte[] mask = new byte[Math.multiplyExact(width, height)];
        int p = 0;
        for (int i = 0; i < counts.size(); i++) {
            Integer run = counts.get(i);
            if (run == null || run < 0 || run > mask.length - p) {
                return null;
            }
            if (i % 2 == 1) {
                Arrays.fill(mask, p, p + run, (byte) 255);
            }
            p += run;
        }
        return mask;
    }
}
