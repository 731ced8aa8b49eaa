package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.geom.Masks;
import io.visionfleet.frameprocessor.support.Natives;
import io.visionfleet.frameprocessor.track.Observation;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CMP_EQ;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_HEIGHT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_LEFT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_TOP;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_WIDTH;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;

/**
 * Turns a foreground mask into object regions: opening removes speckle, closing fills holes and joins nearby
 * fragments, and each 8-connected component of at least {@code minArea} pixels becomes an {@link Observation} with
 * its own mask and mean colour. A region's score grows with its size up to 1 at four times the minimum, so small,
 * doubtful regions only extend existing tracks (the "low score" detections of ByteTrack).
 */
final class ForegroundRegions implements AutoCloseable {
    private static final int FULL_SCORE_AREAS = 4;

    private final int minArea;
    private final Mat openKernel;
    private final Mat closeKernel;
    private final Mat labels = Natives.keep(new Mat());
    private final Mat stats = Natives.keep(new Mat());
    private final Mat centroids = Natives.keep(new Mat());

    ForegroundRegions(int width, int height, double minAreaFraction, int openSize, int closeSize) {
        this.minArea = Math.max(4, (int) Math.round(minAreaFraction * width * height));
        this.openKernel = openSize > 1 ? Natives.keep(getStructuringElement(MORPH_RECT, new Size(openSize, openSize))) : null;
        this.closeKernel = closeSize > 1 ? Natives.keep(getStructuringElement(MORPH_RECT, new Size(closeSize, closeSize))) : null;
    }

    int minArea() {
        return minArea;
    }

    /** Cleans {@code foreground} in place and returns its regions. */
    List<Observation> find(Mat foreground, Mat bgr) {
        if (openKernel != null) {
            morphologyEx(foreground, foreground, MORPH_OPEN, openKernel);
        }
        if (closeKernel != null) {
            morphologyEx(foreground, foreground, MORPH_CLOSE, closeKernel);
        }
        int n = Masks.components(foreground, labels, stats, centroids);
        List<Observation> regions = new ArrayList<>();
        try (IntIndexer s = stats.createIndexer()) {
            for (int i = 1; i < n; i++) {
                int area = s.get(i, CC_STAT_AREA);
                if (area < minArea) {
                    continue;
                }
                Rect rect = new Rect(s.get(i, CC_STAT_LEFT), s.get(i, CC_STAT_TOP), s.get(i, CC_STAT_WIDTH), s.get(i, CC_STAT_HEIGHT));
                Mat pixels = new Mat();
                compare(new Mat(labels, rect), new Mat(1, 1, CV_64F, new Scalar(i)), pixels, CMP_EQ);
                Scalar colour = mean(new Mat(bgr, rect), pixels);
                double score = Math.min(1.0, (double) area / (FULL_SCORE_AREAS * minArea));
                regions.add(new Observation(Box.of(rect), new Mask(rect.x(), rect.y(), pixels, area), score,
                        new double[]{colour.get(0), colour.get(1), colour.get(2)}));
            }
        }
        return regions;
    }

    @Override
    public void close() {
        Natives.release(openKernel, closeKernel, labels, stats, centroids);
    }
}
