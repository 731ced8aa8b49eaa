package io.visionfleet.frameprocessor.motion;

import org.bytedeco.opencv.opencv_core.Mat;

/** A per-pixel model of the static scene that tells moving pixels from background. */
interface BackgroundModel extends AutoCloseable {
    /** Classifies {@code bgr} into {@code foreground} ({@code CV_8UC1}: 255 moving, 0 background) and learns from it. */
    void apply(Mat bgr, Mat foreground);

    /** Whether {@link #warp} can follow a moving camera. */
    boolean warpable();

    /** Moves the model with the camera: {@code homography} maps last frame's pixels to this frame's. */
    void warp(Mat homography);

    /** Forgets the scene: the next frame becomes the background (after a jump of the camera or of the light). */
    void reset();

    @Override
    void close();
}
