package io.visionfleet.ptz.appearance;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.HISTCMP_BHATTACHARYYA;
import static org.bytedeco.opencv.global.opencv_imgproc.calcHist;
import static org.bytedeco.opencv.global.opencv_imgproc.compareHist;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * What an object looks like, cheaply: a hue-saturation histogram of the pixels inside its mask, normalised to sum 1.
 * Hue and saturation, not brightness: the same figure seen by two cameras differs more in exposure than in colour.
 * Histograms are Java arrays so that tracks and handoffs carry them without native memory; OpenCV does the maths
 * inside a {@link PointerScope} per call.
 */
public final class ColourHistogram {
    private static final int HUE_BINS = 16;
    private static final int SATURATION_BINS = 8;
    private static final int BINS = HUE_BINS * SATURATION_BINS;

    private ColourHistogram() {
    }

    /**
     * @param bgr  8-bit BGR picture
     * @param mask 8-bit mask of the same size, non-zero inside the object
     * @return the histogram, or null when the mask selects no pixel
     */
    public static float[] of(Mat bgr, Mat mask) {
        try (PointerScope scope = new PointerScope()) {
            Mat hsv = new Mat();
            cvtColor(bgr, hsv, COLOR_BGR2HSV);
            Mat hist = new Mat();
            calcHist(new MatVector(hsv), new IntPointer(0, 1), mask, hist, new IntPointer(HUE_BINS, SATURATION_BINS),
                    new FloatPointer(0f, 180f, 0f, 256f), false);
            float[] h = new float[BINS];
            Mat flat = hist.reshape(1, 1);
            new FloatPointer(flat.ptr()).get(h);
            double sum = 0;
            for (float v : h) {
                sum += v;
            }
            if (sum <= 0) {
                return null;
            }
            for (int i = 0; i < h.length; i++) {
                h[i] = (float) (h[i] / sum);
            }
            return h;
        }
    }

    /**
     * The Bhattacharyya coefficient of two histograms: 1 for the same colour distribution, 0 for disjoint ones
     * (OpenCV's Bhattacharyya distance d of normalised histograms is sqrt(1 - coefficient)).
     */
    public static double similarity(float[] a, float[] b) {
        try (PointerScope scope = new PointerScope()) {
            double d = compareHist(mat(a), mat(b), HISTCMP_BHATTACHARYYA);
            return Math.max(0, Math.min(1, 1 - d * d));
        }
    }

    /** The running model: {@code model} moved towards {@code latest} by {@code alpha}, still summing to 1. */
    public static float[] blend(float[] model, float[] latest, double alpha) {
        if (model == null) {
            return latest.clone();
        }
        float[] out = new float[model.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((1 - alpha) * model[i] + alpha * latest[i]);
        }
        return out;
    }

    private static Mat mat(float[] h) {
        Mat m = new Mat(1, h.length, CV_32F);
        new FloatPointer(m.ptr()).put(h);
        return m;
    }
}
