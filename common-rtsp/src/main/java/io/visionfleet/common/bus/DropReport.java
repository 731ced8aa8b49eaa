package io.visionfleet.common.bus;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Logs what the outbox had to drop: the first drop at once, then at most one summary a minute, so an outage that
 * outlasts the outbox writes a few lines, not one per message. The counts themselves are meters.
 */
final class DropReport {
    private static final Logger LOG = Logger.getLogger(DropReport.class);
    private static final long INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final Outbox outbox;
    private final int maxMessages;
    private final Duration maxAge;
    private long reportedFull;
    private long reportedExpired;
    private long lastReportNanos;

    DropReport(Outbox outbox, int maxMessages, Duration maxAge) {
        this.outbox = outbox;
        this.maxMessages = maxMessages;
        this.maxAge = maxAge;
    }

    /** Called by the sender now and then; logs when there is something new to say and it may. */
    void check() {
        long full = outbox.droppedFull();
        long expired = outbox.droppedExpired();
        if (full == reportedFull && expired == reportedExpired) {
            return;
        }
        long now = System.nanoTime();
        boolean first = reportedFull == 0 && reportedExpired == 0;
        if (!first && now - lastReportNanos < INTERVAL_NANOS) {
            return;
        }
        LOG.warnf("the bus outbox dropped %d messages since the last report (%d in all over its bound of %d messages"
                        + " or its bytes, %d in all older than %s): the broker was away too long%s",
                full + expired - reportedFull - reportedExpired, full, maxMessages, expired, maxAge,
                first ? "; further drops are logged at most once a minute" : "");
        reportedFull = full;
        reportedExpired = expired;
        lastReportNanos = now;
    }
}
