package io.visionfleet.common.log;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * At most {@code lines} log lines per {@code period}, shared by whoever holds the budget (every connection of a
 * server, every report of a publisher), the rest counted: a flood of bad connections or a long outage writes a few
 * lines, each saying how many were left out since the last, instead of one line per event. The period starts with
 * the first line logged in it.
 */
public final class LogBudget {
    private final int lines;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private long periodStart;
    private int used;
    private long suppressed;

    /** {@code lines} lines (at least 1) every {@code period}. */
    public LogBudget(int lines, Duration period) {
        this(lines, period, System::nanoTime);
    }

    LogBudget(int lines, Duration period, LongSupplier nanoClock) {
        if (lines < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a log budget needs at least one line per positive period");
        }
        this.lines = lines;
        this.periodNanos = period.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one line from the budget: -1 when none is left in this period (the line is counted as left out), else
     * how many lines were left out since the last one taken (0 or more).
     */
    public synchronized long take() {
        long now = nanoClock.getAsLong();
        if (used > 0 && now - periodStart >= periodNanos) {
            used = 0;
        }
        if (used == lines) {
            suppressed++;
            return -1;
        }
        if (used == 0) {
            periodStart = now;
        }
        used++;
        long skipped = suppressed;
        suppressed = 0;
        return skipped;
    }

    /**
     * Logs {@code format} at {@code level} if the budget allows, adding how many lines were left out before it;
     * otherwise at DEBUG. Returns whether it was logged at {@code level}.
     */
    public boolean log(Logger log, Logger.Level level, String format, Object... params) {
        long skipped = take();
        if (skipped < 0) {
            log.debugf(format, params);
            return false;
        }
        if (log.isEnabled(level)) {
            String line = String.format(format, params);
            log.log(level, skipped == 0 ? line : line + " (" + skipped + " similar lines not logged before this one)");
        }
        return true;
    }
}
