package io.visionfleet.slam.tracking;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

import static org.bytedeco.opencv.global.opencv_video.OPTFLOW_USE_INITIAL_FLOW;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowPyrLK;

/**
 * Pyramidal Lucas-Kanade tracking with a forward-backward check: a point is kept only when tracking it back
 * from the new picture lands where it started, which rejects drift on edges, occlusions and repeated texture.
 */
final class OpticalFlow {
    private static final double MIN_EIGEN = 1e-4;
    /** Per pyramid level; with a predicted start position a few iterations converge to 0.03 px. */
    private static final int MAX_ITERATIONS = 10;
    private final TrackerSettings settings;

    OpticalFlow(TrackerSettings settings) {
        this.settings = settings;
    }

    /**
     * Tracks {@code n} points {@code from} (packed x, y) from {@code prev} into {@code next}, starting the search
     * at {@code guess}; returns their new positions and sets {@code ok[i]} for those that passed.
     */
    float[] track(Mat prev, Mat next, float[] from, float[] guess, int n, boolean[] ok) {
        if (n == 0) {
            return new float[0];
        }
        Size window = new Size(settings.kltWindow(), settings.kltWindow());
        TermCriteria criteria = new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, MAX_ITERATIONS, 0.03);
        Mat fromPts = NativeMats.points2f(from, n);
        Mat toPts = NativeMats.points2f(guess, n);
        Mat status = new Mat();
        Mat err = new Mat();
        calcOpticalFlowPyrLK(prev, next, fromPts, toPts, status, err, window, settings.kltLevels(), criteria,
                OPTFLOW_USE_INITIAL_FLOW, MIN_EIGEN);
        Mat backPts = fromPts.clone();
        Mat backStatus = new Mat();
        calcOpticalFlowPyrLK(next, prev, toPts, backPts, backStatus, err, window, settings.kltLevels(), criteria,
                OPTFLOW_USE_INITIAL_FLOW, MIN_EIGEN);
        float[] to = NativeMats.readFloats(toPts, 2 * n);
        float[] back = NativeMats.readFloats(backPts, 2 * n);
        byte[] s1 = NativeMats.readBytes(status);
        byte[] s2 = NativeMats.readBytes(backStatus);
        double limit = settings.forwardBackwardPx() * settings.forwardBackwardPx();
        int w = next.cols();
        int h = next.rows();
        for (int i = 0; i < n; i++) {
            float x = to[2 * i];
            float y = to[2 * i + 1];
            double dx = back[2 * i] - from[2 * i];
            double dy = back[2 * i + 1] - from[2 * i + 1];
            ok[i] = s1[i] != 0 && s2[i] != 0 && dx * dx + dy * dy <= limit
                    && x >= 1 && y >= 1 && x < w - 2 && y < h - 2;
        }
        return to;
    }
}
