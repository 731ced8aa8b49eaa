package io.visionfleet.dronesim;

/**
 * Releases slot {@code n} at {@code start + n / rate} on a monotonic clock. Each deadline is computed from the
 * slot index, never by adding one period to the last wake-up, so sleep overshoot and send time never add up to
 * drift. A caller that falls further behind than {@code maxLagNanos} (a send stalled by back-pressure) gets the
 * schedule re-anchored at the present instead of a burst of every missed slot.
 */
public final class Pacer {
    /** A monotonic clock that can wait; tests inject one that advances without waiting. */
    public interface Clock {
        long nanoTime();

        /** Waits until {@link #nanoTime()} reaches {@code deadline}; false when the wait was cut short by a stop. */
        boolean awaitNanoTime(long deadline);
    }

    private final Clock clock;
    private final double periodNanos;
    private final long maxLagNanos;
    private boolean started;
    private long startNanos;
    /** The first slot on the clock and on the wall clock: maps every slot to a wall-clock time. */
    private long anchorNanos;
    private long anchorEpochMs;
    private long next;
    private long reanchors;

    public Pacer(double ratePerSecond, long maxLagNanos, Clock clock) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number, got " + ratePerSecond);
        }
        this.periodNanos = 1e9 / ratePerSecond;
        this.maxLagNanos = maxLagNanos;
        this.clock = clock;
    }

    /** Waits for the next slot (the first one is now) and returns its index, or -1 when stopped. */
    public long awaitNext() {
        long now = clock.nanoTime();
        if (!started) {
            startNanos = now;
            anchorNanos = now;
            anchorEpochMs = System.currentTimeMillis();
            started = true;
        }
        long deadline = deadline(next);
        if (now - deadline > maxLagNanos) {
            startNanos = now - offset(next);
            deadline = now;
            reanchors++;
        }
        if (!clock.awaitNanoTime(deadline)) {
            return -1;
        }
        return next++;
    }

    /**
     * Starts the schedule over from now: the next slot is due one period from now, the ones after it at the rate.
     * Valid once the first slot has been taken.
     */
    public void restart() {
        startNanos = clock.nanoTime() + offset(1) - offset(next);
    }

    /** When slot {@code n} is due on the clock (valid once the first slot has been taken). */
    public long deadline(long n) {
        return startNanos + offset(n);
    }

    /**
     * The wall-clock milliseconds of slot {@code n}, as a camera's sample clock stamps it: regular and strictly
     * increasing even when a late caller releases slots together (valid once the first slot has been taken).
     */
    public long epochMillis(long n) {
        return anchorEpochMs + Math.floorDiv(deadline(n) - anchorNanos, 1_000_000L);
    }

    /** How often the schedule was re-anchored because the caller fell too far behind. */
    public long reanchors() {
        return reanchors;
    }

    private long offset(long n) {
        return Math.round(n * periodNanos);
    }
}
