package io.visionfleet.frameprocessor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The processing pipeline ({@code fleet.processor.*}): which engine, detector and prompt strategy run, and their
 * settings. Every stage is chosen by name, so swapping one is a configuration change. The defaults run on a laptop
 * CPU with no model files.
 */
@ConfigMapping(prefix = "fleet.processor")
public interface ProcessorConfig {
    /**
     * Segmentation and tracking engine: {@code auto} (SAM2 when its graphs load, else motion), {@code motion} (CPU, no
     * model files) or {@code sam2} (no objects while its graphs are missing).
     */
    @WithDefault("auto")
    String engine();

    /** Optional detector whose boxes label tracks and seed objects: {@code none} or {@code yolo}. */
    @WithDefault("none")
    String detector();

    /** Mode a stream starts in: {@code automatic} (objects found by the prompt strategy) or {@code interactive}. */
    @WithDefault("automatic")
    String mode();

    /**
     * How automatic mode finds new objects (like {@code SAM2_PROMPT_STRATEGY}): {@code motion} (moving regions),
     * {@code detector} (detector boxes), {@code hybrid} (both), {@code grid} (a point grid) or {@code saliency}
     * (salient regions).
     */
    @WithDefault("motion")
    String promptStrategy();

    /** Frames between automatic prompts (like {@code SAM2_REPROMPT_INTERVAL}); 1 seeds on every frame. */
    @WithDefault("1")
    int repromptInterval();

    /** Most objects tracked per stream at once (like {@code SAM2_MAX_OBJECTS_PER_STREAM}). */
    @WithDefault("32")
    int maxObjectsPerStream();

    /** Points per side of the {@code grid} strategy's grid. */
    @WithDefault("8")
    int gridPoints();

    /** Seconds a REST prompt waits for the frame that applies it before answering 504. */
    @WithDefault("5s")
    Duration promptTimeout();

    Motion motion();

    Tracker tracker();

    Yolo yolo();

    Output output();

    Overlay overlay();

    /** The {@code motion} engine: background subtraction, clean-up and camera-motion compensation. */
    interface Motion {
        /**
         * Background model: {@code gaussian} (one adaptive Gaussian per pixel that can follow a moving camera),
         * {@code mog2} or {@code knn} (OpenCV's mixture and nearest-neighbour models, for static cameras).
         */
        @WithDefault("gaussian")
        String subtractor();

        /**
         * Compensate camera motion: estimate a homography from feature tracks each frame and warp the background
         * model and the tracks with it, so a panning camera does not turn the frame into foreground. Needs the
         * {@code gaussian} model; a static camera costs about a millisecond a frame for the estimate.
         */
        @WithDefault("true")
        boolean compensation();

        /** Frames of history of {@code mog2} and {@code knn}. */
        @WithDefault("300")
        int history();

        /**
         * Foreground threshold: for {@code gaussian} and {@code mog2} a squared distance in variances (16 = 4
         * standard deviations), for {@code knn} a squared distance in intensity levels (400).
         */
        Optional<Double> threshold();

        /** Frames over which the {@code gaussian} model averages (learning rate 1/frames once warmed up). */
        @WithDefault("60")
        int learningFrames();

        /**
         * Width, in pixels, of the copy of each frame that camera motion, the background model and the regions are
         * computed on: wider frames are scaled down to it (keeping their aspect) and the regions mapped back to
         * full-frame pixels. Their cost grows with the pixels: a 1280x720 frame took 67 ms in full, 22 ms at 640
         * wide (median, panning scene, 2 vCPU). 0 analyses every frame in full.
         */
        @WithDefault("640")
        int analysisWidth();

        /** Smallest object, as a fraction of the frame area (0.0004 is about 120 pixels at 640x480). */
        @WithDefault("0.0004")
        double minArea();

        /** Size of the square opening kernel that removes speckle, in analysed pixels (odd; 1 turns it off). */
        @WithDefault("3")
        int openKernel();

        /** Size of the square closing kernel that fills holes and joins fragments, in analysed pixels (odd; 1 turns it off). */
        @WithDefault("7")
        int closeKernel();
    }

    /** ByteTrack-style association and the track life cycle. */
    interface Tracker {
        /** Regions scoring at least this are associated first and may start tracks; weaker ones only extend tracks. */
        @WithDefault("0.5")
        double highScore();

        /** Least IoU between a track's predicted box and a strong region to associate them. */
        @WithDefault("0.2")
        double matchIou();

        /** Least IoU for a weak region to extend a track. */
        @WithDefault("0.4")
        double weakMatchIou();

        /** Consecutive frames a new track must be seen before it is confirmed and published. */
        @WithDefault("3")
        int confirmFrames();

        /** Frames a lost track is kept (predicted) before it is removed; ids survive occlusions up to this long. */
        @WithDefault("45")
        int maxLostFrames();
    }

    /** The {@code yolo} detector (a YOLOv8/YOLO11 ONNX export, output [1, 4+classes, anchors]). */
    interface Yolo {
        /** Path of the ONNX model file. Without it the detector stage reports not ready and frames pass without detections. */
        Optional<Path> model();

        /** Class names, one per line, in the model's class order; the 80 COCO names by default. */
        Optional<Path> labels();

        /** Side of the square network input the frame is letterboxed to. */
        @WithDefault("640")
        int inputSize();

        /** Least class score of a detection. */
        @WithDefault("0.25")
        double scoreThreshold();

        /** IoU above which non-maximum suppression drops the weaker of two boxes of one class. */
        @WithDefault("0.45")
        double nmsIou();

        /** ONNX Runtime intra-op threads. */
        @WithDefault("1")
        int threads();

        /** Run the detector every this many frames; tracks carry labels in between. */
        @WithDefault("1")
        int interval();
    }

    /** What each processed-frame message carries. */
    interface Output {
        /** Publish one message per processed frame on {@code processed_frames_exchange}. */
        @WithDefault("true")
        boolean publish();

        /** Largest distance in pixels between an object's outline and its published polygon (Douglas-Peucker). */
        @WithDefault("1.5")
        double polygonEpsilon();

        /** Most polygon vertices per object; the tolerance grows until the outline fits. */
        @WithDefault("64")
        int maxPolygonPoints();

        /**
         * Most RLE counts per mask. A mask with more runs (a ragged outline) is published as its filled polygon, which
         * bounds a message at about objects x (counts + polygon) numbers.
         */
        @WithDefault("2048")
        int maxMaskCounts();
    }

    /** The overlay video ({@code GET /streams/{id}/overlay.mjpeg}). */
    interface Overlay {
        /** Most overlay pictures per second per stream; rendering runs only while someone watches. */
        @WithDefault("10")
        double maxFps();

        /** JPEG quality, 1 to 100. */
        @WithDefault("80")
        int jpegQuality();

        /** Opacity of the mask colour over the frame, 0 to 1. */
        @WithDefault("0.45")
        double maskAlpha();
    }
}
