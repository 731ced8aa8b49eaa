package io.visionfleet.common.geometry;

/** Rotation matrices as unit quaternions, the form TUM trajectory files store. */
public final class Quaternions {
    private Quaternions() {
    }

    /**
     * The unit quaternion (x, y, z, w) of rotation {@code r} (row-major 3x3), with w non-negative. Each branch divides
     * by the largest of the four candidates, so no rotation loses precision.
     */
    public static double[] ofRotation(double[] r) {
        double trace = r[0] + r[4] + r[8];
        double x;
        double y;
        double z;
        double w;
        if (trace > 0) {
            double s = Math.sqrt(trace + 1) * 2;
            w = s / 4;
            x = (r[7] - r[5]) / s;
            y = (r[2] - r[6]) / s;
            z = (r[3] - r[1]) / s;
        } else if (r[0] > r[4] && r[0] > r[8]) {
            double s = Math.sqrt(1 + r[0] - r[4] - r[8]) * 2;
            w = (r[7] - r[5]) / s;
            x = s / 4;
            y = (r[1] + r[3]) / s;
            z = (r[2] + r[6]) / s;
        } else if (r[4] > r[8]) {
            double s = Math.sqrt(1 + r[4] - r[0] - r[8]) * 2;
            w = (r[2] - r[6]) / s;
            x = (r[1] + r[3]) / s;
            y = s / 4;
            z = (r[5] + r[7]) / s;
        } else {
            double s = Math.sqrt(1 + r[8] - r[0] - r[4]) * 2;
            w = (r[3] - r[1]) / s;
            x = (r[2] + r[6]) / s;
            y = (r[5] + r[7]) / s;
            z = s / 4;
        }
        double n = Math.sqrt(x * x + y * y + z * z + w * w) * (w < 0 ? -1 : 1);
        return new double[]{x / n, y / n, z / n, w / n};
    }
}
