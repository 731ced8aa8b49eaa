package io.visionfleet.common.mask;

import io.visionfleet.common.messages.RleString;
import io.visionfleet.common.messages.TrackedObject.MaskRle;

import java.util.Arrays;

/**
 * Binary masks as COCO run-length encoding, the layout pycocotools reads: the {@code h} x {@code w} mask taken column
 * by column (Fortran order), its counts alternating runs of zeros and ones starting with zeros (so a mask whose first
 * pixel is set starts with a 0), sent as {@code {"size": [h, w], "counts": compressed string}} ({@link RleString}).
 */
public final class CocoRle {
    private CocoRle() {
    }

    /** The RLE of a {@code frameWidth} x {@code frameHeight} mask that is zero outside {@code patch}. */
    public static MaskRle encode(MaskPatch patch, int frameWidth, int frameHeight) {
        return of(runs(patch, frameWidth, frameHeight), frameWidth, frameHeight);
    }

    /** The column-major counts of a {@code frameWidth} x {@code frameHeight} mask that is zero outside {@code patch}. */
    public static int[] runs(MaskPatch patch, int frameWidth, int frameHeight) {
        int below = frameHeight - patch.y() - patch.height();
        int right = frameWidth - patch.x() - patch.width();
        if (below < 0 || right < 0) {
            throw new IllegalArgumentException(patch + " overruns a " + frameWidth + "x" + frameHeight + " frame");
        }
        Runs runs = new Runs();
        runs.add(false, patch.x() * frameHeight);
        for (int c = 0; c < patch.width(); c++) {
            runs.add(false, patch.y());
            for (int r = 0; r < patch.height(); r++) {
                runs.add(patch.pixels()[r * patch.width() + c] != 0, 1);
            }
            runs.add(false, below);
        }
        runs.add(false, right * frameHeight);
        return runs.finish();
    }

    /** The mask of these column-major counts. */
    public static MaskRle of(int[] runs, int width, int height) {
        return new MaskRle(new int[]{height, width}, RleString.compress(runs));
    }

    /**
     * The column-major counts of {@code mask}.
     *
     * @throws IllegalArgumentException unless the size is [h, w] and the counts are non-negative and cover h x w exactly
     */
    public static int[] runs(MaskRle mask) {
        if (mask.size() == null || mask.size().length != 2 || mask.height() < 0 || mask.width() < 0
                || mask.counts() == null) {
            throw new IllegalArgumentException("an RLE mask needs size [h, w] and counts");
        }
        int[] runs = RleString.expand(mask.counts());
        long covered = 0;
        for (int run : runs) {
            if (run < 0) {
                throw new IllegalArgumentException("negative RLE count " + run);
            }
            covered += run;
        }
        if (covered != (long) mask.height() * mask.width()) {
            throw new IllegalArgumentException("RLE counts cover " + covered + " pixels of a " + mask.width() + "x"
                    + mask.height() + " mask");
        }
        return runs;
    }

    /**
     * The mask row-major, one byte per pixel: 1 inside, 0 outside.
     *
     * @throws IllegalArgumentException as {@link #runs(MaskRle)}
     */
    public static byte[] decode(MaskRle mask) {
        int[] runs = runs(mask);
        int h = mask.height();
        int w = mask.width();
        byte[] pixels = new byte[h * w];
        int p = 0;
        for (int i = 0; i < runs.length; i++) {
            if (i % 2 == 1) {
                for (int q = p; q < p + runs[i]; q++) {
                    pixels[q % h * w + q / h] = 1;
                }
            }
            p += runs[i];
        }
        return pixels;
    }

    /** Accumulates alternating runs, zeros first. */
    private static final class Runs {
        private int[] counts = new int[16];
        private int size;
        private boolean current;
        private int run;

        void add(boolean value, int n) {
            if (n == 0) {
                return;
            }
            if (value != current) {
                if (size == counts.length) {
                    counts = Arrays.copyOf(counts, 2 * size);
                }
                counts[size++] = run;
                current = value;
                run = 0;
            }
            run += n;
        }

        int[] finish() {
            int[] all = Arrays.copyOf(counts, size + 1);
            all[size] = run;
            return all;
        }
    }
}
