package io.visionfleet.ingest.relay;

import java.util.concurrent.TimeUnit;

/**
 * At most {@code perMinute} log lines a minute across all connections, the rest counted: each connection logs its
 * first refusal, and a flood of bad connections must not flood the log with one line each.
 */
final class LogBudget {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private long windowStart = System.nanoTime();
    private int used;
    private long suppressed;

    LogBudget(int perMinute) {
        this.perMinute = perMinute;
    }

    /**
     * Whether a line may be logged now; if so, how many were suppressed since the last one that was (else -1).
     */
    synchronized long take() {
        long now = System.nanoTime();
        if (now - windowStart >= MINUTE_NANOS) {
            windowStart = now;
            used = 0;
        }
        if (used == perMinute) {
            suppressed++;
            return -1;
        }
        used++;
        long skipped = suppressed;
        suppressed = 0;
        return skipped;
    }
}
