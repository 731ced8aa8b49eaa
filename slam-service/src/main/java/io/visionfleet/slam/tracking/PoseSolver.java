package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Pose;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.TermCriteria;

import static org.bytedeco.opencv.global.opencv_calib3d.SOLVEPNP_AP3P;
import static org.bytedeco.opencv.global.opencv_calib3d.solvePnPRansac;
import static org.bytedeco.opencv.global.opencv_calib3d.solvePnPRefineLM;

/**
 * Camera pose from 2D-3D correspondences: PnP inside RANSAC (AP3P minimal solver) to reject outliers, then a
 * Levenberg-Marquardt refinement of the pose alone on the inliers (motion-only bundle adjustment).
 */
final class PoseSolver {
    /** Pose found and which correspondences agree with it (reprojection within the threshold). */
    record Result(Pose worldToCamera, boolean[] inlier, int inliers) {
    }

    private static final int RANSAC_ITERATIONS = 100;
    private static final double RANSAC_CONFIDENCE = 0.99;

    private PoseSolver() {
    }

    /**
     * Solves for {@code n} world points {@code xyz} seen at ideal pixels {@code uv}. Returns null when RANSAC
     * finds no consensus.
     */
    static Result solve(double[] xyz, double[] uv, int n, CameraModel camera, double thresholdPx) {
        if (n < 4) {
            return null;
        }
        Mat objects = NativeMats.points3d(xyz, n);
        Mat pixels = NativeMats.points2d(uv, n);
        Mat k = camera.cameraMatrix();
        Mat noDistortion = new Mat();
        Mat rvec = new Mat();
        Mat tvec = new Mat();
        Mat inliers = new Mat();
        boolean found = solvePnPRansac(objects, pixels, k, noDistortion, rvec, tvec, false, RANSAC_ITERATIONS,
                (float) thresholdPx, RANSAC_CONFIDENCE, inliers, SOLVEPNP_AP3P);
        if (!found || inliers.total() < 4) {
            return null;
        }
        int[] index = NativeMats.readInts(inliers);
        double[] inXyz = new double[3 * index.length];
        double[] inUv = new double[2 * index.length];
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(xyz, 3 * index[i], inXyz, 3 * i, 3);
            System.arraycopy(uv, 2 * index[i], inUv, 2 * i, 2);
        }
        solvePnPRefineLM(NativeMats.points3d(inXyz, index.length), NativeMats.points2d(inUv, index.length), k,
                noDistortion, rvec, tvec, new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 20, 1e-10));
        Pose pose = Pose.fromRotationVector(NativeMats.readDoubles(rvec), NativeMats.readDoubles(tvec));
        return classify(pose, xyz, uv, n, camera, thresholdPx);
    }

    /** Which of the correspondences {@code pose} explains within {@code thresholdPx}. */
    static Result classify(Pose worldToCamera, double[] xyz, double[] uv, int n, CameraModel camera, double thresholdPx) {
        boolean[] inlier = new boolean[n];
        int count = 0;
        double limit = thresholdPx * thresholdPx;
        for (int i = 0; i < n; i++) {
            double[] p = worldToCamera.apply(new double[]{xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]});
            if (p[2] <= 0) {
                continue;
            }
            double[] q = camera.project(p);
            double dx = q[0] - uv[2 * i];
            double dy = q[1] - uv[2 * i + 1];
            if (dx * dx + dy * dy <= limit) {
                inlier[i] = true;
                count++;
            }
        }
        return new Result(worldToCamera, inlier, count);
    }

    /** Squared reprojection error of world point {@code x} at ideal pixel {@code (u, v)}; infinite behind the camera. */
    static double squaredError(Pose worldToCamera, double[] x, double u, double v, CameraModel camera) {
        double[] p = worldToCamera.apply(x);
        if (p[2] <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double[] q = camera.project(p);
        double dx = q[0] - u;
        double dy = q[1] - v;
        return dx * dx + dy * dy;
    }
}
