package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_core.swap;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.convertMaps;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

/**
 * One homography applied to several images of one size, as {@code warpPerspective} would, for a fraction of its
 * cost: where each pixel comes from is computed once per homography and every image is remapped through it
 * ({@code warpPerspective} computes those positions again for each image, about half its time; the background model
 * moves five images on every frame of a moving camera). Bilinear moves keep positions to 1/32 pixel, as OpenCV's own
 * warps do; nearest-pixel moves read the float positions, which {@code remap} rounds as {@code convertMaps} would, in
 * less time than a fixed-point map costs to make and read.
 */
final class HomographyWarp implements AutoCloseable {
    /** Every pixel's own position, x and y. */
    private final Mat grid = Natives.keep(new Mat());
    private final Mat source = Natives.keep(new Mat());
    private final Mat linear = Natives.keep(new Mat());
    private final Mat fraction = Natives.keep(new Mat());
    private final Mat none = Natives.keep(new Mat());
    private final Mat scratch = Natives.keep(new Mat());

    /** Takes {@code homography} (last frame's pixels to this frame's) for the next moves, on images of this size. */
    void prepare(Mat homography, int rows, int cols) {
        if (grid.rows() != rows || grid.cols() != cols) {
            grid.create(rows, cols, CV_32FC2);
            try (FloatIndexer xy = grid.createIndexer()) {
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < cols; x++) {
                        xy.put(y, x, 0, x);
                        xy.put(y, x, 1, y);
                    }
                }
            }
        }
        // a pixel of the moved image takes the value at its position under the inverse
        perspectiveTransform(grid, source, homography.inv().asMat());
        convertMaps(source, none, linear, fraction, CV_16SC2, false);
    }

    /** Moves {@code image} in place, interpolating bilinearly; pixels from outside take {@code border}'s values. */
    void linear(Mat image, int border) {
        remap(image, scratch, linear, fraction, INTER_LINEAR, border, new Scalar());
        swap(image, scratch);
    }

    /** Moves {@code image} in place, each pixel taking its nearest source pixel's value; from outside, 0. */
    void nearest(Mat image) {
        remap(image, scratch, source, none, INTER_NEAREST, BORDER_CONSTANT, new Scalar());
        swap(image, scratch);
    }

    @Override
    public void close() {
        Natives.release(grid, source, linear, fraction, none, scratch);
    }
}
