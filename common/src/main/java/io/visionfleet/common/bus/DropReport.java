package io.visionfleet.common.bus;

import io.visionfleet.common.log.LogBudget;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Logs what the outbox had to drop: the first drop at once, then at most one summary a minute, so an outage that
 * outlasts the outbox writes a few lines, not one per message ({@link LogBudget} of one line a minute). The counts
 * themselves are meters.
 */
final class DropReport {
    private static final Logger LOG = Logger.getLogger(DropReport.class);

    private final Outbox outbox;
    private final int maxMessages;
    private final Duration maxAge;
    private final LogBudget budget = new LogBudget(1, Duration.ofMinutes(1));
    private long reportedFull;
    private long reportedExpired;

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
        if (budget.take() < 0) {
            return; // logged within the last minute: this one waits for the next
        }
        boolean first = reportedFull == 0 && reportedExpired == 0;
        LOG.warnf("the bus outbox dropped %d messages since the last report (%d in all over its bound of %d messages"
                        + " or its bytes, %d in all older than %s): the broker was away too long%s",
                full + expired - reportedFull - reportedExpired, full, maxMessages, expired, maxAge,
                first ? "; further drops are logged at most once a minute" : "");
        reportedFull = full;
        reportedExpired = expired;
    }
}
