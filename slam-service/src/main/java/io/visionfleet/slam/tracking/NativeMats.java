package io.visionfleet.slam.tracking;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC3;

/**
 * Copies between Java arrays and OpenCV matrices. The tracker keeps its state in Java arrays and builds
 * matrices per call inside the caller's {@code PointerScope}, so no native object outlives a frame unnoticed.
 */
final class NativeMats {
    private NativeMats() {
    }

    /** {@code n} points {@code (x, y)} as an n x 1 two-channel float matrix (OpenCV's point vector). */
    static Mat points2f(float[] xy, int n) {
        if (n == 0) {
            return new Mat();
        }
        Mat m = new Mat(n, 1, CV_32FC2);
        new FloatPointer(m.data()).put(xy, 0, 2 * n);
        return m;
    }

    static Mat points2d(double[] xy, int n) {
        Mat m = new Mat(n, 1, CV_64FC2);
        new DoublePointer(m.data()).put(xy, 0, 2 * n);
        return m;
    }

    static Mat points3d(double[] xyz, int n) {
        Mat m = new Mat(n, 1, CV_64FC3);
        new DoublePointer(m.data()).put(xyz, 0, 3 * n);
        return m;
    }

    /** A rows x cols double matrix filled row-major from {@code values}. */
    static Mat doubles(int rows, int cols, double... values) {
        Mat m = new Mat(rows, cols, CV_64F);
        new DoublePointer(m.data()).put(values, 0, rows * cols);
        return m;
    }

    /** Floats per {@code cv::KeyPoint}: x, y, size, angle, response, then octave and class id as int bits. */
    static final int KEYPOINT_FLOATS = 7;

    /**
     * All keypoints of {@code v} in one copy, {@link #KEYPOINT_FLOATS} floats each, instead of a JNI call per field
     * (a FAST pass over a textured 640x480 picture finds thousands).
     */
    static float[] readKeyPoints(KeyPointVector v) {
        int n = (int) v.size();
        float[] out = new float[n * KEYPOINT_FLOATS];
        if (n > 0) {
            new FloatPointer(v.get(0)).get(out);
        }
        return out;
    }

    static float[] readFloats(Mat m, int count) {
        float[] out = new float[count];
        if (count > 0) {
            new FloatPointer(m.data()).get(out, 0, count);
        }
        return out;
    }

    /** The values of a continuous double matrix, converted first when OpenCV returned another depth. */
    static double[] readDoubles(Mat m) {
        Mat d = m;
        if (m.depth() != CV_64F) {
            d = new Mat();
            m.convertTo(d, CV_64F);
        }
        int count = (int) d.total() * d.channels();
        double[] out = new double[count];
        if (count > 0) {
            new DoublePointer(d.data()).get(out, 0, count);
        }
        return out;
    }

    static int[] readInts(Mat m) {
        int count = (int) m.total() * m.channels();
        int[] out = new int[count];
        if (count > 0) {
            if (m.depth() == CV_32S) {
                new IntPointer(m.data()).get(out, 0, count);
            } else {
                byte[] b = readBytes(m);
                for (int i = 0; i < count; i++) {
                    out[i] = b[i] & 0xff;
                }
            }
        }
        return out;
    }

    static byte[] readBytes(Mat m) {
        int count = (int) m.total() * m.channels() * (int) m.elemSize1();
        byte[] out = new byte[count];
        if (count > 0) {
            m.data().get(out, 0, count);
        }
        return out;
    }
}
