package io.visionfleet.frameprocessor.geom;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;
import static org.bytedeco.opencv.global.opencv_imgproc.CCL_BBDT;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStatsWithAlgorithm;

/** Operations on {@link Mask}s. */
public final class Masks {
    private Masks() {
    }

    /**
     * Labels the 8-connected components of {@code binary} into {@code labels} ({@code CV_32S}) with their
     * {@code stats} and {@code centroids}; returns their number, the background's label 0 included. Grana's BBDT
     * labels them: OpenCV's default (Spaghetti) gives the same labels and stats but, on one thread with 32-bit labels,
     * took 3 times longer on the motion engine's 640x360 foreground masks (1.25 against 0.42 ms).
     */
    public static int components(Mat binary, Mat labels, Mat stats, Mat centroids) {
        return connectedComponentsWithStatsWithAlgorithm(binary, labels, stats, centroids, 8, CV_32S, CCL_BBDT);
    }

    /** One mask covering all of {@code masks} (which must not overlap for the area to be exact). */
    public static Mask union(List<Mask> masks) {
        if (masks.size() == 1) {
            return masks.get(0);
        }
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        int area = 0;
        for (Mask m : masks) {
            x0 = Math.min(x0, m.x());
            y0 = Math.min(y0, m.y());
            x1 = Math.max(x1, m.x() + m.width());
            y1 = Math.max(y1, m.y() + m.height());
            area += m.area();
        }
        Mat pixels = new Mat(y1 - y0, x1 - x0, CV_8UC1);
        pixels.put(new Scalar(0));
        for (Mask m : masks) {
            Mat roi = new Mat(pixels, new Rect(m.x() - x0, m.y() - y0, m.width(), m.height()));
            bitwise_or(roi, m.pixels(), roi);
        }
        return new Mask(x0, y0, pixels, area);
    }
}
