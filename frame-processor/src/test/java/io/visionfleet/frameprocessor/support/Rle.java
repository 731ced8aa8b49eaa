package io.visionfleet.frameprocessor.support;

import java.util.List;

/** Decodes the row-major RLE of processed-frame messages back into a mask. */
public final class Rle {
    private Rle() {
    }

    public static boolean[] decode(List<Integer> counts, int width, int height) {
        boolean[] mask = new boolean[width * height];
        int p = 0;
        boolean value = false;
        for (int run : counts) {
            for (int i = 0; i < run; i++) {
                mask[p++] = value;
            }
            value = !value;
        }
        if (p != mask.length) {
            throw new AssertionError("RLE covers " + p + " pixels, the frame has " + mask.length);
        }
        return mask;
    }
}
