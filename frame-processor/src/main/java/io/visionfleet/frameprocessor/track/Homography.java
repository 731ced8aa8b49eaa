package io.visionfleet.frameprocessor.track;

/** Where a point goes under a camera motion {@code h} (3x3 homography, row-major, last frame's pixels to this one's). */
final class Homography {
    private Homography() {
    }

    /** {x', y', w}: the mapped point and the projective divisor (its local scale). */
    static double[] map(double[] h, double x, double y) {
        double w = h[6] * x + h[7] * y + h[8];
        return new double[]{(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w, w};
    }
}
