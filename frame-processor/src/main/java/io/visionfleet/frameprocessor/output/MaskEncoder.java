package io.visionfleet.frameprocessor.output;

import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.mask.MaskPatch;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.frameprocessor.geom.Mask;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.approxPolyDP;
import static org.bytedeco.opencv.global.opencv_imgproc.contourArea;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;

/**
 * Mask formats of the bus message: COCO RLE of the frame-sized mask ({@link CocoRle}) and the outer contour
 * simplified by Douglas-Peucker. A mask whose RLE would exceed the configured number of counts (a ragged outline) is
 * sent as its filled polygon, so a message stays bounded by objects x (counts + polygon vertices).
 */
public final class MaskEncoder {
    private static final double EPSILON_GROWTH = 1.5;

    private final double epsilon;
    private final int maxPoints;
    private final int maxCounts;

    public MaskEncoder(double epsilon, int maxPoints, int maxCounts) {
        this.epsilon = epsilon;
        this.maxPoints = Math.max(3, maxPoints);
        this.maxCounts = maxCounts;
    }

    /** The encoded mask and polygon of one object in a {@code frameWidth} x {@code frameHeight} frame. */
    public record Encoded(TrackedObject.MaskRle rle, int[] polygon) {
    }

    public Encoded encode(Mask mask, int frameWidth, int frameHeight) {
        int[] polygon = polygon(mask);
        int[] runs = CocoRle.runs(patch(mask.x(), mask.y(), mask.pixels()), frameWidth, frameHeight);
        if (runs.length > maxCounts && polygon.length >= 6) {
            runs = CocoRle.runs(patch(mask.x(), mask.y(), filled(mask, polygon)), frameWidth, frameHeight);
        }
        return new Encoded(CocoRle.of(runs, frameWidth, frameHeight), polygon);
    }

    /** {@code pixels} at ({@code x}, {@code y}), copied row by row: a mask may be a view into a larger picture. */
    private static MaskPatch patch(int x, int y, Mat pixels) {
        int w = pixels.cols();
        byte[] bytes = new byte[w * pixels.rows()];
        for (int r = 0; r < pixels.rows(); r++) {
            pixels.ptr(r).get(bytes, r * w, w);
        }
        return new MaskPatch(x, y, w, pixels.rows(), bytes);
    }

    /** The outer contour of the largest part, simplified until it has at most {@code maxPoints} vertices. */
    private int[] polygon(Mask mask) {
        MatVector contours = new MatVector();
        findContours(mask.pixels().clone(), contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
        if (contours.size() == 0) {
            return new int[0];
        }
        Mat largest = contours.get(0);
        double largestArea = contourArea(largest);
        for (long i = 1; i < contours.size(); i++) {
            double a = contourArea(contours.get(i));
            if (a > largestArea) {
                largestArea = a;
                largest = contours.get(i);
            }
        }
        Mat simplified = new Mat();
        double tolerance = epsilon;
        approxPolyDP(largest, simplified, tolerance, true);
        while (simplified.rows() > maxPoints) {
            tolerance *= EPSILON_GROWTH;
            approxPolyDP(largest, simplified, tolerance, true);
        }
        int[] xy = new int[simplified.rows() * 2];
        try (IntIndexer idx = simplified.createIndexer()) {
            for (int i = 0; i < simplified.rows(); i++) {
                xy[2 * i] = idx.get(i, 0, 0) + mask.x();
                xy[2 * i + 1] = idx.get(i, 0, 1) + mask.y();
            }
        }
        return xy;
    }

    private static Mat filled(Mask mask, int[] polygon) {
        Mat pixels = new Mat(mask.height(), mask.width(), CV_8UC1, new Scalar(0));
        Mat points = new Mat(polygon.length / 2, 1, CV_32SC2);
        try (IntIndexer idx = points.createIndexer()) {
            for (int i = 0; i < polygon.length / 2; i++) {
                idx.put(i, 0, 0, polygon[2 * i] - mask.x());
                idx.put(i, 0, 1, polygon[2 * i + 1] - mask.y());
            }
        }
        fillPoly(pixels, new MatVector(points), new Scalar(255), 8, 0, new Point(0, 0));
        return pixels;
    }
}
