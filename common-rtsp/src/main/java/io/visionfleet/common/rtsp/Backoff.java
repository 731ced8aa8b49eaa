package io.visionfleet.common.rtsp;

import java.time.Duration;

/**
 * Reconnect delays: the first wait is {@code initial}, each further failure doubles it up to {@code max}, and a
 * success starts over. Doubling keeps a dead relay from being hammered while a short outage still recovers fast.
 * Not thread-safe: one per stream worker.
 */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofSeconds(2);
    /**
     * The default cap: a consumer tries a missing relay at least this often (one connect per stream, cheap), so it
     * is back within this plus one connect of the relay's return, well inside the fleet's 10 s.
     */
    public static final Duration MAX = Duration.ofSeconds(5);

    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    public Backoff() {
        this(INITIAL, MAX);
    }

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.nextMs = initialMs;
    }

    /** The delay to wait after a failure; the one after it is twice as long, capped. */
    public Duration nextDelay() {
        long delay = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return Duration.ofMillis(delay);
    }

    /** A connection worked: the next failure waits the initial delay again. */
    public void reset() {
        nextMs = initialMs;
    }
}
