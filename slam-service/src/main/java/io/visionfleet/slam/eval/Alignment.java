package io.visionfleet.slam.eval;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;
import io.visionfleet.slam.geometry.Svd3;

import java.util.List;

/**
 * The similarity {@code y ~ s R x + t} that best maps estimated positions {@code x} onto ground truth {@code y}
 * in the least-squares sense (Umeyama 1991). With {@code withScale} false, {@code s} stays 1 (SE(3)).
 *
 * @param scale    s: ground-truth units per estimate unit (how far off the monocular map's scale is)
 * @param rotation R, row-major
 * @param translation t
 */
public record Alignment(double scale, double[] rotation, double[] translation) {

    public static Alignment umeyama(List<double[]> x, List<double[]> y, boolean withScale) {
        int n = x.size();
        if (n != y.size() || n < 3) {
            throw new IllegalArgumentException("alignment needs at least 3 matched points, got " + n + "/" + y.size());
        }
        double[] mx = new double[3];
        double[] my = new double[3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                mx[k] += x.get(i)[k] / n;
                my[k] += y.get(i)[k] / n;
            }
        }
        double varX = 0;
        double[] cov = new double[9];
        for (int i = 0; i < n; i++) {
            double[] dx = Mat3.sub(x.get(i), mx);
            double[] dy = Mat3.sub(y.get(i), my);
            varX += Mat3.dot(dx, dx) / n;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    cov[r * 3 + c] += dy[r] * dx[c] / n;
                }
            }
        }
        Svd3 svd = Svd3.of(cov);
        double[] s = {1, 1, Mat3.det(svd.u()) * Mat3.det(svd.v()) < 0 ? -1 : 1};
        double[] us = svd.u().clone();
        for (int r = 0; r < 3; r++) {
            us[r * 3 + 2] *= s[2];
        }
        double[] rot = Mat3.mul(us, Mat3.transpose(svd.v()));
        double scale = withScale
                ? (svd.s()[0] * s[0] + svd.s()[1] * s[1] + svd.s()[2] * s[2]) / varX
                : 1;
        double[] t = Mat3.sub(my, Mat3.times(Mat3.apply(rot, mx), scale));
        return new Alignment(scale, rot, t);
    }

    /** Where estimated position {@code p} lands in ground-truth coordinates. */
    public double[] apply(double[] p) {
        return Mat3.add(Mat3.times(Mat3.apply(rotation, p), scale), translation);
    }

    /** The aligned camera pose: rotation applied to orientation, similarity to position. */
    public Pose apply(Pose pose) {
        return new Pose(Mat3.mul(rotation, pose.r()), apply(pose.t()));
    }

    @Override
    public double[] rotation() {
        return rotation.clone();
    }

    @Override
    public double[] translation() {
        return translation.clone();
    }
}
