package io.visionfleet.frameprocessor.detect;

import io.visionfleet.frameprocessor.stage.StageStatus;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * An object detector, chosen by {@code fleet.processor.detector}: its boxes label tracks and seed objects. One instance
 * serves every stream, so {@link #detect} must be safe to call from several threads.
 */
public interface Detector {
    /** The name that selects it in configuration. */
    String name();

    /** Loads what the detector needs (a model file); called once at start-up when it is selected. */
    void start();

    /** Whether it can detect, and on what, or why not. */
    StageStatus status();

    /** Detections in a BGR frame, in frame pixels. Empty while the detector is not ready. */
    List<Detection> detect(Mat bgr);
}
