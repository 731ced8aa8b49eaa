package io.visionfleet.slam.calibration;

import io.visionfleet.slam.geometry.Mat3;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_calib3d.undistortPoints;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

/**
 * Pictures of a chessboard (10 x 7 squares of 3 cm, so 9 x 6 inner corners) seen by a known camera with known
 * radial distortion from random poses: the board is warped by its homography into an ideal picture, then the
 * ideal picture is resampled through the distortion model.
 */
final class ChessboardViews {
    static final int W = 640;
    static final int H = 480;
    static final double FX = 430;
    static final double FY = 425;
    static final double CX = 322;
    static final double CY = 236;
    static final double[] DISTORTION = {-0.18, 0.06, 0.0, 0.0};
    static final double SQUARE_M = 0.03;
    private static final int SQUARE_PX = 40;
    private static final int MARGIN_PX = 40;

    private final Mat board = renderBoard();
    private final Mat mapX = new Mat(H, W, CV_32FC1);
    private final Mat mapY = new Mat(H, W, CV_32FC1);
    private final Random random = new Random(11);

    ChessboardViews() {
        // for every distorted pixel, the ideal pixel whose value it shows
        float[] grid = new float[2 * W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                grid[2 * (y * W + x)] = x;
                grid[2 * (y * W + x) + 1] = y;
            }
        }
        Mat points = new Mat(W * H, 1, CV_32FC2);
        new FloatPointer(points.data()).put(grid);
        Mat ideal = new Mat();
        Mat k = matrix(3, 3, FX, 0, CX, 0, FY, CY, 0, 0, 1);
        undistortPoints(points, ideal, k, matrix(1, 4, DISTORTION), new Mat(), k);
        float[] xy = new float[2 * W * H];
        new FloatPointer(ideal.data()).get(xy);
        float[] mx = new float[W * H];
        float[] my = new float[W * H];
        for (int i = 0; i < W * H; i++) {
            mx[i] = xy[2 * i];
            my[i] = xy[2 * i + 1];
        }
        new FloatPointer(mapX.data()).put(mx);
        new FloatPointer(mapY.data()).put(my);
    }

    /** A new random view: the board 0.45 to 0.75 m away, tilted up to 35 degrees. */
    Mat next() {
        double[] w = {Math.toRadians(35) * (random.nextDouble() * 2 - 1), Math.toRadians(35) * (random.nextDouble() * 2 - 1),
                Math.toRadians(20) * (random.nextDouble() * 2 - 1)};
        double[] r = Mat3.exp(w);
        double boardW = 10 * SQUARE_M;
        double boardH = 7 * SQUARE_M;
        double z = 0.45 + 0.3 * random.nextDouble();
        double[] t = {(random.nextDouble() - 0.5) * 0.12, (random.nextDouble() - 0.5) * 0.08, z};
        // board pixel (u, v) -> board metres, centred -> camera -> ideal image
        double s = SQUARE_M / SQUARE_PX;
        double ox = -(MARGIN_PX * s) - boardW / 2;
        double oy = -(MARGIN_PX * s) - boardH / 2;
        double[] m = {r[0] * s, r[1] * s, r[0] * ox + r[1] * oy + t[0],
                r[3] * s, r[4] * s, r[3] * ox + r[4] * oy + t[1],
                r[6] * s, r[7] * s, r[6] * ox + r[7] * oy + t[2]};
        double[] k = {FX, 0, CX, 0, FY, CY, 0, 0, 1};
        double[] h = Mat3.mul(k, m);
        Mat ideal = new Mat();
        warpPerspective(board, ideal, matrix(3, 3, h), new Size(W, H), INTER_LINEAR, BORDER_CONSTANT, new Scalar(90.0));
        Mat distorted = new Mat();
        remap(ideal, distorted, mapX, mapY, INTER_LINEAR, BORDER_CONSTANT, new Scalar(90.0));
        return distorted;
    }

    private static Mat renderBoard() {
        int w = 10 * SQUARE_PX + 2 * MARGIN_PX;
        int h = 7 * SQUARE_PX + 2 * MARGIN_PX;
        byte[] pixels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int bx = Math.floorDiv(x - MARGIN_PX, SQUARE_PX);
                int by = Math.floorDiv(y - MARGIN_PX, SQUARE_PX);
                boolean inside = bx >= 0 && by >= 0 && bx < 10 && by < 7;
                pixels[y * w + x] = (byte) (inside && (bx + by) % 2 == 0 ? 20 : 235);
            }
        }
        Mat m = new Mat(h, w, CV_8UC1);
        m.data().put(pixels);
        return m;
    }

    private static Mat matrix(int rows, int cols, double... values) {
        Mat m = new Mat(rows, cols, CV_64F);
        new org.bytedeco.javacpp.DoublePointer(m.data()).put(values);
        return m;
    }
}
