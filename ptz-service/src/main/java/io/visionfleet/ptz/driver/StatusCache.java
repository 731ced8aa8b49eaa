package io.visionfleet.ptz.driver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A camera's status, read at most every {@link #MAX_AGE} (the controller asks every frame) and forgotten when a
 * command may have changed it. Lock-free: concurrent misses each read, none waits on another's request, and a read
 * that was in flight when a command invalidated the cache answers its caller but is never served from the cache.
 */
public final class StatusCache {
    public static final Duration MAX_AGE = Duration.ofMillis(250);

    private record Entry(PtzStatus status, long readAt, long generation) {
    }

    private final long maxAgeMs;
    private final LongSupplier clockMs;
    /** Bumped by every invalidation; an entry counts only while it carries the current value. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Entry latest;

    public StatusCache(Duration maxAge, LongSupplier clockMs) {
        this.maxAgeMs = maxAge.toMillis();
        this.clockMs = clockMs;
    }

    /** The cached status while fresh, else {@code read}'s (which then is cached). */
    public PtzStatus get(Supplier<PtzStatus> read) {
        long now = clockMs.getAsLong();
        long gen = generation.get();
        Entry e = latest;
        if (e != null && e.generation() == gen && now - e.readAt() < maxAgeMs) {
            return e.status();
        }
        PtzStatus status = read.get();
        latest = new Entry(status, now, gen);
        return status;
    }

    /** A command was sent: the next {@link #get} reads the camera. */
    public void invalidate() {
        generation.incrementAndGet();
    }
}
