package io.visionfleet.common.consumer.ownership;

import java.time.Duration;

/**
 * How many streams like its own a replica carries at full rate, from the streams it owns and its processing load
 * (the threads they need over those it has): owned / load, rounded down. Two things keep streams from moving back and
 * forth between replicas: the estimate moves only when the measure leaves it by more than a quarter of a stream, and
 * it is not measured for {@link #SETTLE} after the replica's streams changed, while the input rates (a 5 s window)
 * and the handling times of the streams it just took or gave up are still settling. Unknown until the replica has
 * processed a stream.
 */
final class StreamCapacity {
    /** Below this load the streams deliver (almost) nothing: it says nothing about the capacity. */
    static final double MEASURABLE_LOAD = 0.05;
    static final Duration SETTLE = Duration.ofSeconds(10);
    private static final double HYSTERESIS = 0.25;

    private int streams = -1;
    private int lastOwned;
    private long ownedChangedNanos;

    /**
     * Takes one round's measure and returns the estimate, at least 1 and at most {@code most}; -1 while unknown. A
     * round without a measurable load (no stream, or streams delivering nothing), or within {@link #SETTLE} of a change
     * of the streams owned, keeps the estimate.
     */
    int update(int owned, double load, int most, long nowNanos) {
        if (owned != lastOwned) {
            lastOwned = owned;
            ownedChangedNanos = nowNanos;
        }
        boolean settled = nowNanos - ownedChangedNanos >= SETTLE.toNanos();
        if (settled && owned > 0 && load >= MEASURABLE_LOAD) {
            double carried = owned / load;
            if (streams < 0 || carried < streams - HYSTERESIS || carried >= streams + 1 + HYSTERESIS) {
                streams = (int) Math.max(1, Math.min(most, Math.floor(carried)));
            }
        }
        return streams;
    }
}
