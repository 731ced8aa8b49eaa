package io.visionfleet.slam.tracking;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Arrays;
import java.util.Objects;

import static org.bytedeco.opencv.global.opencv_calib3d.undistortPoints;

/**
 * Pinhole intrinsics with OpenCV's radial-tangential distortion {@code (k1, k2, p1, p2[, k3])}. The tracker works
 * in "ideal" pixels: raw feature positions are undistorted once and all geometry uses {@code K} alone.
 */
public record CameraModel(double fx, double fy, double cx, double cy, double[] distortion) {
    public CameraModel {
        distortion = distortion == null ? new double[0] : distortion.clone();
        if (distortion.length != 0 && distortion.length != 4 && distortion.length != 5) {
            throw new IllegalArgumentException("distortion needs 4 or 5 coefficients (k1,k2,p1,p2[,k3]), got " + distortion.length);
        }
    }

    public static CameraModel pinhole(double fx, double fy, double cx, double cy) {
        return new CameraModel(fx, fy, cx, cy, new double[0]);
    }

    /** A camera of horizontal field of view {@code hfovDeg} with square pixels and the principal point at the centre. */
    public static CameraModel fromFieldOfView(int width, int height, double hfovDeg) {
        double f = width / 2.0 / Math.tan(Math.toRadians(hfovDeg) / 2);
        return pinhole(f, f, (width - 1) / 2.0, (height - 1) / 2.0);
    }

    /**
     * Why these intrinsics cannot describe a {@code width x height} picture, or null when they can: focal lengths
     * must be positive and the principal point inside the picture.
     */
    public String problemWith(int width, int height) {
        if (!(fx > 0) || !(fy > 0) || Double.isInfinite(fx) || Double.isInfinite(fy)) {
            return "focal lengths must be positive, got fx=" + fx + " fy=" + fy;
        }
        if (!(cx > 0 && cx < width) || !(cy > 0 && cy < height)) {
            return "principal point (" + cx + ", " + cy + ") lies outside the " + width + "x" + height + " picture";
        }
        for (double k : distortion) {
            if (!Double.isFinite(k)) {
                return "distortion coefficients must be finite";
            }
        }
        return null;
    }

    /** The same camera for pictures resized by {@code sx, sy} (distortion is resolution independent). */
    public CameraModel scaled(double sx, double sy) {
        return new CameraModel(fx * sx, fy * sy, (cx + 0.5) * sx - 0.5, (cy + 0.5) * sy - 0.5, distortion);
    }

    public boolean distorted() {
        for (double k : distortion) {
            if (k != 0) {
                return true;
            }
        }
        return false;
    }

    /** K as a 3x3 double matrix (native, in the caller's scope). */
    Mat cameraMatrix() {
        return NativeMats.doubles(3, 3, fx, 0, cx, 0, fy, cy, 0, 0, 1);
    }

    /** Ideal pixel positions of {@code n} raw pixels {@code xy}. */
    double[] undistort(float[] xy, int n) {
        double[] out = new double[2 * n];
        if (!distorted() || n == 0) {
            for (int i = 0; i < 2 * n; i++) {
                out[i] = xy[i];
            }
            return out;
        }
        Mat dst = new Mat();
        Mat k = cameraMatrix();
        undistortPoints(NativeMats.points2f(xy, n), dst, k, NativeMats.doubles(1, distortion.length, distortion), new Mat(), k);
        return NativeMats.readDoubles(dst);
    }

    /** Raw pixel of ideal pixel {@code (u, v)}: the forward distortion model, used to predict feature positions. */
    double[] distort(double u, double v) {
        if (!distorted()) {
            return new double[]{u, v};
        }
        double x = (u - cx) / fx;
        double y = (v - cy) / fy;
        double r2 = x * x + y * y;
        double k3 = distortion.length > 4 ? distortion[4] : 0;
        double radial = 1 + distortion[0] * r2 + distortion[1] * r2 * r2 + k3 * r2 * r2 * r2;
        double xd = x * radial + 2 * distortion[2] * x * y + distortion[3] * (r2 + 2 * x * x);
        double yd = y * radial + distortion[2] * (r2 + 2 * y * y) + 2 * distortion[3] * x * y;
        return new double[]{xd * fx + cx, yd * fy + cy};
    }

    /** Ideal pixel of camera-frame point {@code p}; NaN behind the camera. */
    double[] project(double[] p) {
        if (p[2] <= 1e-9) {
            return new double[]{Double.NaN, Double.NaN};
        }
        return new double[]{fx * p[0] / p[2] + cx, fy * p[1] / p[2] + cy};
    }

    /** Camera-frame direction (z = 1) of ideal pixel {@code (u, v)}. */
    double[] ray(double u, double v) {
        return new double[]{(u - cx) / fx, (v - cy) / fy, 1};
    }

    @Override
    public double[] distortion() {
        return distortion.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CameraModel c && fx == c.fx && fy == c.fy && cx == c.cx && cy == c.cy
                && Arrays.equals(distortion, c.distortion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fx, fy, cx, cy) * 31 + Arrays.hashCode(distortion);
    }

    @Override
    public String toString() {
        return "CameraModel[fx=" + fx + ", fy=" + fy + ", cx=" + cx + ", cy=" + cy + ", distortion=" + Arrays.toString(distortion) + "]";
    }
}
