package io.visionfleet.frameprocessor.sam2;

import java.util.Arrays;

/**
 * Pillow's {@code Image.resize(size)} on interleaved 3-channel 8-bit pixels, bit for bit: its default filter for RGB
 * (bicubic, antialiased when downscaling) as two separable passes, horizontal then vertical, each rounded and clipped
 * to 0..255. The SAM2 reference predictor loads frames that way, so the engine sees the pixels the reference sees.
 * One instance per (source size, target size): taps and the intermediate image are made once, frames allocate nothing.
 */
final class BicubicResampler {
    private static final int CHANNELS = 3;

    final int sourceWidth;
    final int sourceHeight;
    private final BicubicTaps columns;
    private final BicubicTaps rows;
    /** The source rows the vertical pass reads: [rowFirst, rowFirst + rowCount). */
    private final int rowFirst;
    private final int rowCount;
    /** Horizontally resampled source rows, one int per channel value so that the vertical pass vectorises. */
    private final int[] between;
    private final int[] sums;

    BicubicResampler(int sourceWidth, int sourceHeight, int width, int height) {
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.columns = new BicubicTaps(sourceWidth, width);
        this.rows = new BicubicTaps(sourceHeight, height);
        this.rowFirst = rows.first[0];
        this.rowCount = rows.first[height - 1] + rows.count[height - 1] - rowFirst;
        this.between = new int[rowCount * width * CHANNELS];
        this.sums = new int[width * CHANNELS];
    }

    /**
     * Resamples {@code source} (rows {@code stride} bytes apart) into {@code target} (the target size, rows packed).
     */
    void resample(byte[] source, int stride, byte[] target) {
        horizontal(source, stride);
        vertical(target);
    }

    private void horizontal(byte[] source, int stride) {
        int[] first = columns.first;
        int[] count = columns.count;
        int[] weights = columns.weights;
        int out = 0;
        for (int y = rowFirst; y < rowFirst + rowCount; y++) {
            int row = y * stride;
            for (int x = 0; x < columns.outSize; x++) {
                int c0 = BicubicTaps.HALF;
                int c1 = BicubicTaps.HALF;
                int c2 = BicubicTaps.HALF;
                int k = x * columns.width;
                for (int i = 0, p = row + first[x] * CHANNELS, n = count[x]; i < n; i++, p += CHANNELS) {
                    int w = weights[k + i];
                    c0 += w * (source[p] & 0xFF);
                    c1 += w * (source[p + 1] & 0xFF);
                    c2 += w * (source[p + 2] & 0xFF);
                }
                between[out++] = BicubicTaps.clip(c0);
                between[out++] = BicubicTaps.clip(c1);
                between[out++] = BicubicTaps.clip(c2);
            }
        }
    }

    private void vertical(byte[] target) {
        int line = sums.length;
        for (int y = 0; y < rows.outSize; y++) {
            Arrays.fill(sums, BicubicTaps.HALF);
            int k = y * rows.width;
            for (int i = 0, n = rows.count[y]; i < n; i++) {
                int w = rows.weights[k + i];
                int from = (rows.first[y] + i - rowFirst) * line;
                for (int x = 0; x < line; x++) {
                    sums[x] += w * between[from + x];
                }
            }
            int to = y * line;
            for (int x = 0; x < line; x++) {
                target[to + x] = (byte) BicubicTaps.clip(sums[x]);
            }
        }
    }
}
