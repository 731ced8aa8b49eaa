package io.visionfleet.slam.eval;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;

import java.util.ArrayList;
import java.util.List;

/**
 * Absolute trajectory error (ATE) after Umeyama alignment, and relative pose error (RPE), over associated
 * pose pairs. For a monocular estimate use Sim(3) alignment and always report {@link Ate#scale()} and the
 * number of untracked frames beside the error: the alignment hides a wrong scale.
 */
public final class TrajectoryError {
    /**
     * ATE result.
     *
     * @param pairs              matched poses used
     * @param scale              Sim(3) scale (1 for SE(3))
     * @param rmse               RMSE of aligned positions, in ground-truth units
     * @param max                largest position error
     * @param rotationRmseDeg    RMSE of the orientation error of the poses aligned by {@code alignment}, degrees
     * @param orientationRmseDeg RMSE of the orientation error after the rotation that best aligns the
     *                           orientations themselves (chordal mean), degrees: unlike {@code rotationRmseDeg} it
     *                           stays meaningful when a nearly straight path leaves the position alignment's
     *                           rotation about the path poorly determined
     * @param alignment          the alignment found
     */
    public record Ate(int pairs, double scale, double rmse, double max, double rotationRmseDeg,
                      double orientationRmseDeg, Alignment alignment) {
    }

    /**
     * RPE result over pose pairs {@code delta} matches apart.
     *
     * @param count              relative motions compared
     * @param translationRmse    RMSE of the relative translation error (estimate scaled by the given factor)
     * @param rotationRmseDeg    RMSE of the relative rotation error, degrees
     */
    public record Rpe(int count, double translationRmse, double rotationRmseDeg) {
    }

    private TrajectoryError() {
    }

    public static Ate ate(List<Association.Pair> pairs, boolean sim3) {
        List<double[]> est = new ArrayList<>();
        List<double[]> gt = new ArrayList<>();
        for (Association.Pair p : pairs) {
            est.add(p.estimate().pose().t());
            gt.add(p.truth().pose().t());
        }
        Alignment a = Alignment.umeyama(est, gt, sim3);
        double sum = 0;
        double max = 0;
        double rotSum = 0;
        for (Association.Pair p : pairs) {
            Pose aligned = a.apply(p.estimate().pose());
            double e = Mat3.norm(Mat3.sub(aligned.t(), p.truth().pose().t()));
            sum += e * e;
            max = Math.max(max, e);
            double angle = Mat3.angle(Mat3.mul(Mat3.transpose(p.truth().pose().r()), aligned.r()));
            rotSum += angle * angle;
        }
        int n = pairs.size();
        return new Ate(n, a.scale(), Math.sqrt(sum / n), max, Math.toDegrees(Math.sqrt(rotSum / n)),
                orientationRmseDeg(pairs), a);
    }

    /** Orientation error after the rotation M minimising the chordal distance sum of |R_gt - M R_est|^2. */
    private static double orientationRmseDeg(List<Association.Pair> pairs) {
        double[] sum = new double[9];
        for (Association.Pair p : pairs) {
            double[] m = Mat3.mul(p.truth().pose().r(), Mat3.transpose(p.estimate().pose().r()));
            for (int i = 0; i < 9; i++) {
                sum[i] += m[i];
            }
        }
        double[] mean = Mat3.orthonormalize(sum);
        double sq = 0;
        for (Association.Pair p : pairs) {
            double angle = Mat3.angle(Mat3.mul(Mat3.transpose(p.truth().pose().r()), Mat3.mul(mean, p.estimate().pose().r())));
            sq += angle * angle;
        }
        return Math.toDegrees(Math.sqrt(sq / pairs.size()));
    }

    /**
     * RPE between pairs {@code delta} apart, the estimate's translations multiplied by {@code scale} (use the
     * Sim(3) scale for monocular estimates, 1 otherwise).
     */
    public static Rpe rpe(List<Association.Pair> pairs, int delta, double scale) {
        if (delta < 1) {
            throw new IllegalArgumentException("delta must be at least 1");
        }
        double tSum = 0;
        double rSum = 0;
        int count = 0;
        for (int i = 0; i + delta < pairs.size(); i++) {
            Pose e0 = pairs.get(i).estimate().pose().scaled(scale);
            Pose e1 = pairs.get(i + delta).estimate().pose().scaled(scale);
            Pose g0 = pairs.get(i).truth().pose();
            Pose g1 = pairs.get(i + delta).truth().pose();
            Pose error = g0.inverse().compose(g1).inverse().compose(e0.inverse().compose(e1));
            double te = Mat3.norm(error.t());
            double re = Mat3.angle(error.r());
            tSum += te * te;
            rSum += re * re;
            count++;
        }
        if (count == 0) {
            return new Rpe(0, Double.NaN, Double.NaN);
        }
        return new Rpe(count, Math.sqrt(tSum / count), Math.toDegrees(Math.sqrt(rSum / count)));
    }
}
