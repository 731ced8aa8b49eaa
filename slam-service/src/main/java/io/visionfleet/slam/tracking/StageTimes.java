package io.visionfleet.slam.tracking;

/** Nanoseconds spent per tracker stage on one frame, for the benchmark and the processing-time metric. */
public final class StageTimes {
    /** Tracker stages, in the order a frame passes them. */
    public enum Stage {
        /** optical flow of existing features */
        FLOW,
        /** PnP-RANSAC and motion-only refinement */
        POSE,
        /** keyframe creation: observations, triangulation, new features, descriptors */
        KEYFRAME,
        /** local bundle adjustment */
        BUNDLE_ADJUSTMENT,
        /** two-view initialisation */
        INITIALISATION,
        /** relocalisation attempts */
        RELOCALISATION
    }

    private final long[] nanos = new long[Stage.values().length];
    private long started;
    private Stage running;

    void start(Stage stage) {
        stop();
        running = stage;
        started = System.nanoTime();
    }

    void stop() {
        if (running != null) {
            nanos[running.ordinal()] += System.nanoTime() - started;
            running = null;
        }
    }

    public long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    public long totalNanos() {
        long sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return sum;
    }
}
