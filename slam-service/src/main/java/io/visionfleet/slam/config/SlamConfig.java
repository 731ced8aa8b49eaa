package io.visionfleet.slam.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Monocular SLAM per relayed stream ({@code fleet.slam.*}). */
@ConfigMapping(prefix = "fleet.slam")
public interface SlamConfig {
    /**
     * Frames skipped after each processed one: 0 processes every frame handed over, 2 every third. Counted after
     * the consumer's newest-frame-wins handoff and its {@code fleet.consumer.max-fps} cap.
     */
    @WithDefault("0")
    int frameSkip();

    /** Where keyframe JPEGs, trajectories and sparse maps are written, one sub-directory per stream. */
    @WithDefault("data/slam")
    Path outputDir();

    /** Save every keyframe as a JPEG next to its pose ({@code <output-dir>/<stream>/keyframes/}). */
    @WithDefault("true")
    boolean keyframeImages();

    /** Poses kept in memory per stream for {@code GET /streams/{id}/trajectory}; the oldest are dropped first. */
    @WithDefault("108000")
    int maxTrajectoryPoses();

    /**
     * Keyframes kept per stream over all its map segments; beyond it the oldest are forgotten with the landmarks
     * only they saw. A keyframe costs about 30 kB of heap with its descriptors and landmarks (measured: 335
     * keyframes and 26,000 landmarks after 5 minutes of a looping 640x480 clip), so the default bounds a stream's
     * map near 30 MB.
     */
    @WithDefault("1000")
    int maxKeyframes();

    /** Horizontal field of view, degrees, assumed for streams without intrinsics in {@link #cameras()}. */
    @WithDefault("70")
    double defaultHfovDeg();

    /** Camera intrinsics per stream id: {@code fleet.slam.cameras.<stream>.fx=...}. */
    Map<String, Camera> cameras();

    /** Inertial data from {@code imu_data_exchange}. */
    Imu imu();

    /** Metric scale from GPS positions in {@code imu_data_exchange} samples. */
    Gps gps();

    /** One stream's calibration, as the {@code calibrate} command prints it. */
    interface Camera {
        /** Focal length in pixels, horizontal. */
        double fx();

        /** Focal length in pixels, vertical. */
        double fy();

        /** Principal point x in pixels. */
        double cx();

        /** Principal point y in pixels. */
        double cy();

        /** OpenCV distortion coefficients {@code k1,k2,p1,p2[,k3]}; none for a rectified stream. */
        Optional<List<Double>> distortion();

        /**
         * Picture width the intrinsics were calibrated at: a stream of another size (same aspect ratio) gets them
         * scaled. Without it they are used as given.
         */
        Optional<Integer> width();

        /** Picture height the intrinsics were calibrated at (see {@link #width()}). */
        Optional<Integer> height();

        /** Rotation from the IMU's body axes to this camera's axes (9 values, row-major); overrides {@link Imu#bodyToCamera()}. */
        Optional<List<Double>> bodyToCamera();
    }

    /** How IMU samples are read. */
    interface Imu {
        /** Use samples from {@code imu_data_exchange} as rotation and gravity priors when they cover a frame. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Rotation from the IMU body axes to camera axes (x right, y down, z forward), 9 values row-major. The
         * default fits a forward-looking camera on a body with x forward, y right, z down (drone-sim's axes).
         */
        @WithDefault("0,1,0,0,0,1,1,0,0")
        List<Double> bodyToCamera();

        /** Added to IMU sample times to bring them onto the video's capture clock. */
        @WithDefault("0s")
        Duration timeOffset();

        /** Streams with their own IMU buffer at most; samples of further streams are ignored (and logged once). */
        @WithDefault("64")
        int maxStreams();
    }

    /** How the metric scale of a map segment is estimated from GPS. */
    interface Gps {
        /** Estimate metres per map unit from {@code gps} positions of telemetry samples. */
        @WithDefault("true")
        boolean enabled();

        /** The GPS positions paired with a segment's keyframes must reach this far (metres) before a scale is given. */
        @WithDefault("10")
        double minExtent();

        /** Keyframes with a GPS position a segment needs before a scale is given. */
        @WithDefault("8")
        int minKeyframes();

        /** Fixes further apart than this do not give a position for the time between them. */
        @WithDefault("2s")
        Duration maxGap();
    }
}
