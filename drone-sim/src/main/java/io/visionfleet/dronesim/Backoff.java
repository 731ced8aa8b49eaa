package io.visionfleet.dronesim;

import java.time.Duration;

/** Reconnect delays that double from {@code initial} up to {@code max}, and start over after a success. */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    Backoff(Duration initial, Duration max) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.nextMs = initialMs;
    }

    synchronized long nextDelayMs() {
        long delay = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return delay;
    }

    synchronized void reset() {
        nextMs = initialMs;
    }

    long maxMs() {
        return maxMs;
    }
}
