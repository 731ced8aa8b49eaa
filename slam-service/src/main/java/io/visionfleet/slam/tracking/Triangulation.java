package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;

/**
 * Two-view triangulation: the point closest, in the least-squares sense, to both viewing rays. Also gives
 * the angle between the rays (parallax), which decides whether depth is observable at all.
 */
final class Triangulation {
    private Triangulation() {
    }

    /** Unit direction in world coordinates of camera-frame ray {@code ray} seen from {@code worldToCamera}. */
    static double[] worldBearing(Pose worldToCamera, double[] ray) {
        double[] b = Mat3.apply(Mat3.transpose(worldToCamera.r()), ray);
        return Mat3.times(b, 1 / Mat3.norm(b));
    }

    /** Camera centre in world coordinates. */
    static double[] centre(Pose worldToCamera) {
        return Mat3.times(Mat3.apply(Mat3.transpose(worldToCamera.r()), worldToCamera.t()), -1);
    }

    /** Angle in degrees between two unit bearings. */
    static double parallaxDeg(double[] b1, double[] b2) {
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, Mat3.dot(b1, b2)))));
    }

    /** The point nearest to the rays {@code c1 + s b1} and {@code c2 + s b2} (unit bearings), or null when they are parallel. */
    static double[] point(double[] c1, double[] b1, double[] c2, double[] b2) {
        double[] a = new double[9];
        double[] rhs = new double[3];
        accumulate(a, rhs, c1, b1);
        accumulate(a, rhs, c2, b2);
        double det = Mat3.det(a);
        if (Math.abs(det) < 1e-12) {
            return null;
        }
        return Mat3.apply(inverse(a, det), rhs);
    }

    /** Adds the ray's normal equations: (I - b b^T) x = (I - b b^T) c. */
    private static void accumulate(double[] a, double[] rhs, double[] c, double[] b) {
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double m = (r == k ? 1 : 0) - b[r] * b[k];
                a[r * 3 + k] += m;
                rhs[r] += m * c[k];
            }
        }
    }

    private static double[] inverse(double[] m, double det) {
        return new double[]{
                (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
                (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
                (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
    }
}
