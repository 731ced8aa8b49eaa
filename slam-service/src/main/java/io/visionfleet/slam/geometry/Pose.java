package io.visionfleet.slam.geometry;

import io.visionfleet.common.geometry.Quaternions;

/**
 * A rigid transform {@code x -> R x + t}. As a camera pose it maps camera coordinates to world coordinates
 * (camera-to-world, as published and as TUM files store it); its {@link #inverse()} maps world to camera.
 * Immutable.
 *
 * @param r rotation, row-major 3x3
 * @param t translation
 */
public record Pose(double[] r, double[] t) {
    public static final Pose IDENTITY = new Pose(Mat3.identity(), new double[3]);

    public Pose {
        if (r.length != 9 || t.length != 3) {
            throw new IllegalArgumentException("pose needs a 3x3 rotation and a 3-vector");
        }
        r = r.clone();
        t = t.clone();
    }

    /** From a unit quaternion (x, y, z, w) and a translation, as in TUM files; the quaternion is normalised. */
    public static Pose fromQuaternion(double tx, double ty, double tz, double qx, double qy, double qz, double qw) {
        double n = Math.sqrt(qx * qx + qy * qy + qz * qz + qw * qw);
        if (n == 0 || Double.isNaN(n)) {
            throw new IllegalArgumentException("quaternion has no length");
        }
        double x = qx / n;
        double y = qy / n;
        double z = qz / n;
        double w = qw / n;
        double[] r = {
                1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
                2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
                2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)};
        return new Pose(r, new double[]{tx, ty, tz});
    }

    /** From a rotation vector (axis times angle) and a translation. */
    public static Pose fromRotationVector(double[] w, double[] t) {
        return new Pose(Mat3.exp(w), t);
    }

    /** The unit quaternion (x, y, z, w) of the rotation, with w non-negative. */
    public double[] quaternion() {
        return Quaternions.ofRotation(r);
    }

    /** This transform after {@code other}: {@code x -> this(other(x))}. */
    public Pose compose(Pose other) {
        return new Pose(Mat3.mul(r, other.r), Mat3.add(Mat3.apply(r, other.t), t));
    }

    public Pose inverse() {
        double[] rt = Mat3.transpose(r);
        return new Pose(rt, Mat3.times(Mat3.apply(rt, t), -1));
    }

    public double[] apply(double[] p) {
        return Mat3.add(Mat3.apply(r, p), t);
    }

    /** The same rotation with the translation multiplied by {@code s} (a change of map scale). */
    public Pose scaled(double s) {
        return new Pose(r, Mat3.times(t, s));
    }

    /** The 4x4 homogeneous matrix, row-major (the layout of {@code slam_result/1}'s {@code pose}). */
    public double[] toRowMajor4x4() {
        return new double[]{r[0], r[1], r[2], t[0], r[3], r[4], r[5], t[1], r[6], r[7], r[8], t[2], 0, 0, 0, 1};
    }

    /** The rotation vector (axis times angle) of the rotation. */
    public double[] rotationVector() {
        return Mat3.log(r);
    }

    @Override
    public double[] r() {
        return r.clone();
    }

    @Override
    public double[] t() {
        return t.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pose p && java.util.Arrays.equals(r, p.r) && java.util.Arrays.equals(t, p.t);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(r) + java.util.Arrays.hashCode(t);
    }

    @Override
    public String toString() {
        return "Pose[t=" + java.util.Arrays.toString(t) + ", w=" + java.util.Arrays.toString(rotationVector()) + "]";
    }
}
