package io.visionfleet.common.consumer;

import java.util.Arrays;

/**
 * Events per second over a sliding window of whole-second buckets. Until the window has filled, the rate is over the
 * complete seconds since the first event (the first, partial one left out once another follows), so a stream that
 * just started shows its rate, not a share of it. Readers
 * (health, metrics, logs, the processing load) do not disturb each other because reading does not reset anything.
 * Time is passed in so tests control it.
 */
public final class RateMeter {
    private final long[] buckets;
    private final long[] bucketSecond;
    private long firstSecond = Long.MIN_VALUE;

    /** @param windowSeconds how many full seconds the rate averages over */
    public RateMeter(int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("window must be at least 1 s");
        }
        // one extra bucket for the second in progress, which is not counted until it is complete
        buckets = new long[windowSeconds + 1];
        bucketSecond = new long[windowSeconds + 1];
        Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    public synchronized void mark(long nowMs) {
        long second = Math.floorDiv(nowMs, 1000);
        if (firstSecond == Long.MIN_VALUE) {
            firstSecond = second;
        }
        int i = (int) Math.floorMod(second, buckets.length);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            buckets[i] = 0;
        }
        buckets[i]++;
    }

    /** Average events per second over the last complete seconds of the window. */
    public synchronized double rate(long nowMs) {
        long current = Math.floorDiv(nowMs, 1000);
        if (firstSecond == Long.MIN_VALUE || current <= firstSecond) {
            return 0;
        }
        long span = current - firstSecond;
        int full = buckets.length - 1;
        // the first second was partial: left out once a complete one follows (later it ages out of the window anyway)
        long window = span >= 2 && span <= full ? span - 1 : Math.min(full, span);
        long sum = 0;
        for (int i = 0; i < buckets.length; i++) {
            long age = current - bucketSecond[i];
            if (age >= 1 && age <= window) {
                sum += buckets[i];
            }
        }
        return (double) sum / window;
    }
}
