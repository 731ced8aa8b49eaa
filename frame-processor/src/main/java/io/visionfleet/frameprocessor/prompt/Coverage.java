package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.geom.Box;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

import static org.bytedeco.opencv.global.opencv_core.countNonZero;

/** How much of a region tracked objects already cover; strategies seed only where they do not. */
final class Coverage {
    /** A seed whose box is covered this much belongs to an object already tracked. */
    static final double TAKEN = 0.5;

    private Coverage() {
    }

    static double of(Mat coverage, Box box) {
        if (coverage == null) {
            return 0;
        }
        Rect r = box.toRect(coverage.cols(), coverage.rows());
        if (r.width() <= 0 || r.height() <= 0) {
            return 1;
        }
        return (double) countNonZero(new Mat(coverage, r)) / ((double) r.width() * r.height());
    }

    static boolean free(Mat coverage, Box box) {
        return of(coverage, box) < TAKEN;
    }

    static boolean free(Mat coverage, double x, double y) {
        if (coverage == null) {
            return true;
        }
        int col = (int) x;
        int row = (int) y;
        return col < 0 || row < 0 || col >= coverage.cols() || row >= coverage.rows() || coverage.ptr(row, col).get() == 0;
    }
}
