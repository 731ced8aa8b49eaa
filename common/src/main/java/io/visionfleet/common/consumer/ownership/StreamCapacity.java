package io.visionfleet.common.consumer.ownership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How many streams like its own a replica carries at full rate, from the streams it owns and its processing load (the
 * threads they need over those it has): owned / load, rounded down. Streams would move back and forth between replicas
 * on every wobble of that measure, so the estimate moves only when the measure leaves it by more than a quarter of a
 * stream, and it is not measured for {@link #SETTLE} after the replica's streams changed, while the input rates (a 5 s
 * window) and the handling times of the streams it just took or gave up are still settling, nor within the warm-up
 * after the replica first owned a stream, while its JIT compilers make every frame dearer. Unknown until then.
 *
 * <p>It also keeps the best estimate of the last {@link #STABILIZATION}, for the decision to hand a stream on: a
 * replica's measure dips for a while with its pictures' content (a crowd crossing the view, a loop of a clip) and with
 * the work beside it, and a replica that gave a stream up at each dip would take it back after it.
 */
final class StreamCapacity {
    /** Below this load the streams deliver (almost) nothing: it says nothing about the capacity. */
    static final double MEASURABLE_LOAD = 0.05;
    static final Duration SETTLE = Duration.ofSeconds(10);
    /** How long a lower estimate must hold before it counts against the streams a replica keeps. */
    static final Duration STABILIZATION = Duration.ofSeconds(60);
    private static final double HYSTERESIS = 0.25;

    private final long warmUpNanos;
    private int streams = -1;
    private int lastOwned;
    private long ownedChangedNanos;
    private long firstOwnedNanos = -1;
    /** The estimates of the last {@link #STABILIZATION}, oldest first. */
    private final List<Estimate> recent = new ArrayList<>();

    private record Estimate(long nanos, int streams) {
    }

    StreamCapacity(Duration warmUp) {
        this.warmUpNanos = warmUp.toNanos();
    }

    /**
     * Takes one round's measure and returns the estimate, at least 1 and at most {@code most}; -1 while unknown. A
     * round without a measurable load (no stream, or streams delivering nothing), within {@link #SETTLE} of a change of
     * the streams owned, or within the warm-up, keeps the estimate.
     */
    int update(int owned, double load, int most, long nowNanos) {
        if (owned != lastOwned) {
            lastOwned = owned;
            ownedChangedNanos = nowNanos;
        }
        if (owned > 0 && firstOwnedNanos < 0) {
            firstOwnedNanos = nowNanos;
        }
        boolean settled = nowNanos - ownedChangedNanos >= SETTLE.toNanos() && nowNanos - firstOwnedNanos >= warmUpNanos;
        if (settled && owned > 0 && load >= MEASURABLE_LOAD) {
            double carried = owned / load;
            if (streams < 0 || carried < streams - HYSTERESIS || carried >= streams + 1 + HYSTERESIS) {
                streams = (int) Math.max(1, Math.min(most, Math.floor(carried)));
                recent.add(new Estimate(nowNanos, streams));
            }
        }
        forgetBefore(nowNanos); // here too: best() runs only while the replica is above its share
        return streams;
    }

    /**
     * The highest estimate that held at any time in the last {@link #STABILIZATION} before {@code nowNanos}; -1 while
     * unknown.
     */
    int best(long nowNanos) {
        forgetBefore(nowNanos);
        return recent.stream().mapToInt(Estimate::streams).max().orElse(-1);
    }

    /** Drops the estimates that no longer held in the window ending at {@code nowNanos}. */
    private void forgetBefore(long nowNanos) {
        long since = nowNanos - STABILIZATION.toNanos();
        // an estimate made before the window still held at its start while the next one was made inside it
        while (recent.size() > 1 && recent.get(1).nanos() <= since) {
            recent.remove(0);
        }
    }
}
