package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.geom.Masks;
import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CMP_GT;
import static org.bytedeco.opencv.global.opencv_core.CMP_LE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Low-resolution logits to the frame: background holes of at most {@code fillHoleArea} pixels get a small positive
 * score (0.1, as {@code fill_holes_in_mask_scores}), bilinear resize to the frame size (half-pixel centres, like
 * {@code align_corners=False}), threshold at 0, crop to the mask's box. Working images are kept between frames.
 */
final class MaskRenderer implements AutoCloseable {
    private static final float HOLE_SCORE = 0.1f;

    private final int maskSize;
    private final int width;
    private final int height;
    private final int fillHoleArea;
    private final FloatBuffer lowRes;
    private final Mat lowResMat;
    private final Mat background = Natives.keep(new Mat());
    private final Mat labels = Natives.keep(new Mat());
    private final Mat stats = Natives.keep(new Mat());
    private final Mat centroids = Natives.keep(new Mat());
    private final Mat frameLogits = Natives.keep(new Mat());
    private final Mat binary = Natives.keep(new Mat());

    MaskRenderer(int maskSize, int width, int height, int fillHoleArea) {
        this.maskSize = maskSize;
        this.width = width;
        this.height = height;
        this.fillHoleArea = fillHoleArea;
        this.lowRes = Floats.allocate(maskSize * maskSize);
        this.lowResMat = Natives.keep(new Mat(maskSize, maskSize, CV_32FC1, new FloatPointer(lowRes)));
    }

    /** Sets the object's frame mask and box from its logits; no mask (and the last box kept) while nothing is above 0. */
    void render(Sam2Object o) {
        o.mask = null;
        if (o.occluded()) {
            return;
        }
        lowRes.clear().put(o.logits);
        if (fillHoleArea > 0) {
            fillHoles();
        }
        resize(lowResMat, frameLogits, new Size(width, height), 0, 0, INTER_LINEAR);
        compare(frameLogits, new Mat(new Scalar(0)), binary, CMP_GT);
        Rect r = boundingRect(binary);
        if (r.width() <= 0 || r.height() <= 0) {
            return;
        }
        Mat crop = new Mat(binary, r).clone();
        o.mask = new Mask(r.x(), r.y(), crop, countNonZero(crop));
        o.box = Box.of(r);
    }

    /**
     * {@code logits} with background holes of at most {@code fillHoleArea} pixels set to 0.1, into {@code out}: the
     * reference's {@code pred_masks}, which its memory encoder reads on prompted frames and a correction feeds back.
     */
    float[] filled(float[] logits, float[] out) {
        lowRes.clear().put(logits);
        if (fillHoleArea > 0) {
            fillHoles();
        }
        lowRes.clear().get(out);
        return out;
    }

    private void fillHoles() {
        compare(lowResMat, new Mat(new Scalar(0)), background, CMP_LE);
        int n = Masks.components(background, labels, stats, centroids);
        boolean[] hole = new boolean[n];
        boolean any = false;
        try (IntIndexer s = stats.createIndexer()) {
            for (int i = 1; i < n; i++) {
                hole[i] = s.get(i, CC_STAT_AREA) <= fillHoleArea;
                any |= hole[i];
            }
        }
        if (!any) {
            return;
        }
        try (IntIndexer l = labels.createIndexer()) {
            for (int y = 0; y < maskSize; y++) {
                for (int x = 0; x < maskSize; x++) {
                    if (hole[l.get(y, x)]) {
                        lowRes.put(y * maskSize + x, HOLE_SCORE);
                    }
                }
            }
        }
    }

    /** Frame-sized map of where the given objects' masks are (owned by the frame's pointer scope). */
    Mat coverage(Iterable<Sam2Object> objects) {
        Mat coverage = new Mat(height, width, CV_8UC1, new Scalar(0));
        for (Sam2Object o : objects) {
            if (o.mask != null) {
                mark(coverage, o.mask);
            }
        }
        return coverage;
    }

    void mark(Mat coverage, Mask m) {
        m.pixels().copyTo(new Mat(coverage, new Rect(m.x(), m.y(), m.width(), m.height())), m.pixels());
    }

    boolean free(Mat coverage, double x, double y) {
        int col = (int) x;
        int row = (int) y;
        return col < 0 || row < 0 || col >= width || row >= height || coverage.ptr(row, col).get() == 0;
    }

    /** Share of the mask's pixels already covered. */
    double overlap(Mat coverage, Mask m) {
        if (m.area() == 0) {
            return 1;
        }
        Mat both = new Mat();
        bitwise_and(new Mat(coverage, new Rect(m.x(), m.y(), m.width(), m.height())), m.pixels(), both);
        return (double) countNonZero(both) / m.area();
    }

    @Override
    public void close() {
        Natives.release(lowResMat, background, labels, stats, centroids, frameLogits, binary);
    }
}
