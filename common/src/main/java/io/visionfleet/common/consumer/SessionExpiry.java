package io.visionfleet.common.consumer;

import io.visionfleet.common.concurrent.DaemonThreads;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Closes the sessions of a consumer's streams that delivered nothing for the idle timeout, from one daemon
 * thread per consumer. A stream that delivers again opens a fresh session on its own thread.
 */
final class SessionExpiry implements AutoCloseable {
    /** Checks often enough that a session outlives its timeout by at most a quarter of it, or a second. */
    private static final long MAX_CHECK_MS = 1000;

    private final ScheduledExecutorService scheduler = DaemonThreads.scheduler("rtsp-session-expiry");

    SessionExpiry(Duration idleTimeout, Supplier<Collection<? extends SessionSlot<?>>> slots) {
        long idleNanos = idleTimeout.toNanos();
        long checkMs = Math.max(1, Math.min(MAX_CHECK_MS, idleTimeout.toMillis() / 4));
        scheduler.scheduleWithFixedDelay(() -> slots.get().forEach(s -> s.closeIfIdle(idleNanos)),
                checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
