package io.visionfleet.sim.camera;

import java.util.Random;

/**
 * Makes a clean rendering look like a cheap camera's: Gaussian blur (defocus and motion smear) and additive
 * Gaussian sensor noise, seeded by frame index so a frame always degrades the same way.
 *
 * @param blurSigma  blur standard deviation in pixels, 0 for none
 * @param noiseSigma noise standard deviation in grey levels, 0 for none
 */
public record Degradation(double blurSigma, double noiseSigma) {
    public static final Degradation NONE = new Degradation(0, 0);
    /** The noisy variant of the synthetic sequences. */
    public static final Degradation NOISY = new Degradation(1.0, 4.0);

    /** Degrades packed BGR24 {@code bgr} of a {@code width x height} picture in place. */
    public void apply(byte[] bgr, int width, int height, long frameIndex) {
        if (blurSigma > 0) {
            blur(bgr, width, height);
        }
        if (noiseSigma > 0) {
            Random random = new Random(0x5EED0000L + frameIndex);
            for (int i = 0; i < bgr.length; i++) {
                int v = (bgr[i] & 0xff) + (int) Math.round(random.nextGaussian() * noiseSigma);
                bgr[i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
    }

    private void blur(byte[] bgr, int width, int height) {
        int radius = (int) Math.ceil(3 * blurSigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * blurSigma * blurSigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        float[] tmp = new float[bgr.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int xx = Math.max(0, Math.min(width - 1, x + k));
                        v += kernel[k + radius] * (bgr[(y * width + xx) * 3 + c] & 0xff);
                    }
                    tmp[(y * width + x) * 3 + c] = (float) v;
                }
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int yy = Math.max(0, Math.min(height - 1, y + k));
                        v += kernel[k + radius] * tmp[(yy * width + x) * 3 + c];
                    }
                    bgr[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
    }
}
