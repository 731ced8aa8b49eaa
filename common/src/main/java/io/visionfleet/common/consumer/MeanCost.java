package io.visionfleet.common.consumer;

/**
 * The running mean of how long one frame of a stream takes to handle, weighted to the recent frames, so that a
 * capacity estimate follows a stream whose content (and cost) changes. One writer; read from any thread.
 */
final class MeanCost {
    /** Weight of the newest frame: the mean follows a change within a few dozen frames. */
    private static final double WEIGHT = 0.1;

    private volatile double nanos;

    void add(long costNanos) {
        double mean = nanos;
        nanos = mean == 0 ? costNanos : mean + WEIGHT * (costNanos - mean);
    }

    /** 0 before the first frame. */
    double millis() {
        return nanos / 1e6;
    }
}
