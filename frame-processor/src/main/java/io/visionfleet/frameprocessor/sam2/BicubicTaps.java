package io.visionfleet.frameprocessor.sam2;

/**
 * The filter taps of one axis of Pillow's {@code Image.resize} with {@code BICUBIC} (its default for RGB): for each
 * output pixel the first input pixel and the weights of the inputs from there, in 8-bit fixed point ({@link #BITS}
 * fractional bits). Built once per (input size, output size) and reused for every frame.
 */
final class BicubicTaps {
    /** Fractional bits of a weight: a sum of 255 x weights (|sum| under 2) still fits an int. */
    static final int BITS = 22;
    /** Added before the shift so that it rounds to nearest. */
    static final int HALF = 1 << (BITS - 1);
    private static final double KERNEL_SUPPORT = 2;

    final int outSize;
    /** Taps per output pixel (the row stride of {@link #weights}); unused taps weigh 0. */
    final int width;
    final int[] first;
    final int[] count;
    final int[] weights;

    BicubicTaps(int inSize, int outSize) {
        this.outSize = outSize;
        double scale = (double) inSize / outSize;
        // downscaling widens the kernel by the factor (antialiasing); upscaling keeps its own support
        double stretch = Math.max(scale, 1);
        double support = KERNEL_SUPPORT * stretch;
        this.width = (int) Math.ceil(support) * 2 + 1;
        this.first = new int[outSize];
        this.count = new int[outSize];
        this.weights = new int[outSize * width];
        double shrink = 1 / stretch; // multiplied, not divided: the same rounding as Pillow's
        double[] w = new double[width];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            // C-style truncating casts, clamped to the image: the same taps as Pillow's, border pixels included
            int lo = Math.max((int) (center - support + 0.5), 0);
            int n = Math.min((int) (center + support + 0.5), inSize) - lo;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                w[i] = kernel((i + lo - center + 0.5) * shrink);
                sum += w[i];
            }
            first[o] = lo;
            count[o] = n;
            for (int i = 0; i < n; i++) {
                // normalised per output pixel, then rounded half away from zero to fixed point
                double k = sum != 0 ? w[i] / sum : w[i];
                weights[o * width + i] = (int) (k < 0 ? k * (1 << BITS) - 0.5 : k * (1 << BITS) + 0.5);
            }
        }
    }

    /** Keys' cubic convolution kernel with a = -0.5. */
    static double kernel(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0;
    }

    /** A fixed-point sum (rounding bias included) back to a byte value, clipped to 0..255. */
    static int clip(int sum) {
        int v = sum >> BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
