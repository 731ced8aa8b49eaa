package io.visionfleet.slam.calibration;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Point2fVector;
import org.bytedeco.opencv.opencv_core.Point2fVectorVector;
import org.bytedeco.opencv.opencv_core.Point3f;
import org.bytedeco.opencv.opencv_core.Point3fVector;
import org.bytedeco.opencv.opencv_core.Point3fVectorVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_calib3d.CALIB_CB_ADAPTIVE_THRESH;
import static org.bytedeco.opencv.global.opencv_calib3d.CALIB_CB_FAST_CHECK;
import static org.bytedeco.opencv.global.opencv_calib3d.CALIB_CB_NORMALIZE_IMAGE;
import static org.bytedeco.opencv.global.opencv_calib3d.CALIB_FIX_K3;
import static org.bytedeco.opencv.global.opencv_calib3d.calibrateCamera;
import static org.bytedeco.opencv.global.opencv_calib3d.findChessboardCorners;
import static org.bytedeco.opencv.global.opencv_imgproc.cornerSubPix;

/**
 * Camera calibration from views of a chessboard (Zhang's method, OpenCV's {@code calibrateCamera}): corners are
 * found and refined to sub-pixel accuracy per view, then focal lengths, principal point and distortion
 * {@code k1, k2, p1, p2} are fitted to all views ({@code k3} stays 0: it needs far more views to be stable).
 */
public final class ChessboardCalibration {
    /** The calibration and how well it fits. */
    public record Result(int width, int height, int views, double rmsPx, double fx, double fy, double cx, double cy,
                         double[] distortion) {

        /** {@code application.properties} lines configuring stream {@code streamId} with this calibration. */
        public String properties(String streamId) {
            String p = "fleet.slam.cameras." + streamId + ".";
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < distortion.length; i++) {
                d.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", distortion[i]));
            }
            return String.format(Locale.ROOT, "%sfx=%.3f%n%sfy=%.3f%n%scx=%.3f%n%scy=%.3f%n%sdistortion=%s%n%swidth=%d%n%sheight=%d%n",
                    p, fx, p, fy, p, cx, p, cy, p, d, p, width, p, height);
        }
    }

    private final int columns;
    private final int rows;
    private final double square;
    private final List<float[]> views = new ArrayList<>();
    private int width;
    private int height;

    /**
     * @param columns inner corners per chessboard row (squares minus one)
     * @param rows    inner corners per chessboard column
     * @param square  side of a square, in the unit the calibration's translations should have (e.g. metres)
     */
    public ChessboardCalibration(int columns, int rows, double square) {
        if (columns < 3 || rows < 3 || columns == rows) {
            throw new IllegalArgumentException("the board needs at least 3x3 inner corners and a different count per side"
                    + " (so its orientation is unambiguous), got " + columns + "x" + rows);
        }
        if (!(square > 0)) {
            throw new IllegalArgumentException("square size must be positive");
        }
        this.columns = columns;
        this.rows = rows;
        this.square = square;
    }

    /** Looks for the board in an 8-bit grey picture; returns whether it was found (and the view kept). */
    public boolean addView(Mat gray) {
        if (views.isEmpty()) {
            width = gray.cols();
            height = gray.rows();
        } else if (gray.cols() != width || gray.rows() != height) {
            throw new IllegalArgumentException("all views must have one size: " + width + "x" + height + " then "
                    + gray.cols() + "x" + gray.rows());
        }
        Mat corners = new Mat();
        Size pattern = new Size(columns, rows);
        if (!findChessboardCorners(gray, pattern, corners, CALIB_CB_ADAPTIVE_THRESH | CALIB_CB_NORMALIZE_IMAGE | CALIB_CB_FAST_CHECK)) {
            return false;
        }
        cornerSubPix(gray, corners, new Size(5, 5), new Size(-1, -1),
                new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 30, 0.01));
        float[] xy = new float[2 * columns * rows];
        new FloatPointer(corners.data()).get(xy);
        views.add(xy);
        return true;
    }

    public int views() {
        return views.size();
    }

    /** Fits the intrinsics to the views found so far (at least 3 are needed, 10 or more from varied angles advised). */
    public Result calibrate() {
        if (views.size() < 3) {
            throw new IllegalStateException("calibration needs the board in at least 3 views, found it in " + views.size());
        }
        Point3fVector board = new Point3fVector();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                board.push_back(new Point3f((float) (c * square), (float) (r * square), 0));
            }
        }
        Point3fVectorVector objects = new Point3fVectorVector();
        Point2fVectorVector images = new Point2fVectorVector();
        for (float[] xy : views) {
            Point2fVector corners = new Point2fVector();
            for (int i = 0; i < xy.length; i += 2) {
                corners.push_back(new Point2f(xy[i], xy[i + 1]));
            }
            objects.push_back(board);
            images.push_back(corners);
        }
        Mat k = new Mat();
        Mat d = new Mat();
        double rms = calibrateCamera(objects, images, new Size(width, height), k, d, new MatVector(), new MatVector(),
                CALIB_FIX_K3, new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 100, 1e-9));
        double[] kv = doubles(k);
        double[] dv = doubles(d);
        double[] distortion = new double[]{dv[0], dv[1], dv[2], dv[3]};
        return new Result(width, height, views.size(), rms, kv[0], kv[4], kv[2], kv[5], distortion);
    }

    private static double[] doubles(Mat m) {
        double[] out = new double[(int) m.total()];
        new org.bytedeco.javacpp.DoublePointer(m.data()).get(out);
        return out;
    }
}
