package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractor;

import java.util.function.Supplier;

import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorKNN;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

/**
 * OpenCV's MOG2 (a mixture of Gaussians per pixel) or KNN subtractor, for static cameras: they model multi-modal
 * backgrounds (leaves, water) better than one Gaussian but keep their model internal, so it cannot be warped.
 * Shadow detection is off: it costs a third of the time and marks shadows as background only where they are grey.
 */
final class OpenCvBackground implements BackgroundModel {
    private final Supplier<BackgroundSubtractor> factory;
    private BackgroundSubtractor subtractor;

    private OpenCvBackground(Supplier<BackgroundSubtractor> factory) {
        this.factory = factory;
        this.subtractor = Natives.keep(factory.get());
    }

    static OpenCvBackground mog2(int history, double threshold) {
        return new OpenCvBackground(() -> createBackgroundSubtractorMOG2(history, threshold, false));
    }

    static OpenCvBackground knn(int history, double threshold) {
        return new OpenCvBackground(() -> createBackgroundSubtractorKNN(history, threshold, false));
    }

    @Override
    public void apply(Mat bgr, Mat foreground) {
        subtractor.apply(bgr, foreground, -1);
    }

    @Override
    public boolean warpable() {
        return false;
    }

    @Override
    public void warp(Mat homography) {
        throw new UnsupportedOperationException("OpenCV's subtractors keep their model internal; use the gaussian model");
    }

    @Override
    public void reset() {
        subtractor.close();
        subtractor = Natives.keep(factory.get());
    }

    @Override
    public void close() {
        Natives.release(subtractor);
    }
}
