package io.visionfleet.common.net;

import java.time.Duration;

/**
 * Reconnect delays: the first wait is {@code initial}, each further failure doubles it up to {@code max}, and a
 * success starts over. Doubling keeps a dead relay from being hammered while a short outage still recovers fast.
 * A peer that says the stream exists but cannot be played yet (a stream that just started) is asked again every
 * {@link #NOT_READY_RETRY} for {@link #NOT_READY_PATIENCE}, then with the doubling delays: its first picture is
 * tens of milliseconds away, and waiting out the initial delay would miss the pictures before the next IDR.
 * Not thread-safe: one per stream worker.
 */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofSeconds(2);
    /**
     * The default cap: a consumer tries a missing relay at least this often (one connect per stream, cheap), so it
     * is back within this plus one connect of the relay's return, well inside the fleet's 10 s.
     */
    public static final Duration MAX = Duration.ofSeconds(5);
    /** The delay after a "not ready yet": about a frame interval, and one cheap request to the relay. */
    public static final Duration NOT_READY_RETRY = Duration.ofMillis(50);
    /** How long "not ready yet" is retried quickly: far more than a sender needs for its first IDR. */
    public static final Duration NOT_READY_PATIENCE = Duration.ofSeconds(3);
    private static final long NONE = Long.MIN_VALUE;

    private final long initialMs;
    private final long maxMs;
    private long nextMs;
    private long notReadySinceNanos = NONE;

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

    /**
     * The delay after the peer said the stream is not ready yet, at {@code nowNanos} ({@link System#nanoTime()}):
     * {@link #NOT_READY_RETRY} until such answers have lasted {@link #NOT_READY_PATIENCE}, then {@link #nextDelay()}.
     */
    public Duration nextDelayNotReady(long nowNanos) {
        if (notReadySinceNanos == NONE) {
            notReadySinceNanos = nowNanos;
        }
        return nowNanos - notReadySinceNanos < NOT_READY_PATIENCE.toNanos() ? NOT_READY_RETRY : nextDelay();
    }

    /** A connection worked (or the stream was announced again): the next failure waits the initial delay again. */
    public void reset() {
        nextMs = initialMs;
        notReadySinceNanos = NONE;
    }
}
