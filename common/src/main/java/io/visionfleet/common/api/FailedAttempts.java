package io.visionfleet.common.api;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Consecutive failed token checks per client address, and how long the answer to the next one waits: nothing for
 * the first {@code free} failures, then {@code initial} doubling up to {@code max}. A success clears the count, and
 * a client silent for {@code forgetAfter} starts afresh, so a slowed client is never locked out. Bounded to
 * {@code maxClients} addresses (the least recently failing are forgotten). Thread-safe.
 */
public final class FailedAttempts {
    private final int free;
    private final long initialMs;
    private final long maxMs;
    private final long forgetAfterMs;
    private final int maxClients;
    private final int maxWaiting;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Client> clients = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Client {
        int failures;
        int waiting;
        long lastFailureMs;
    }

    public FailedAttempts(ApiAccessConfig.FailureDelay config, LongSupplier clockMs) {
        this(config.freeFailures(), config.initial(), config.max(), config.forgetAfter(), config.maxClients(),
                config.maxWaiting(), clockMs);
    }

    public FailedAttempts(int free, Duration initial, Duration max, Duration forgetAfter, int maxClients, int maxWaiting,
                          LongSupplier clockMs) {
        this.free = Math.max(0, free);
        this.initialMs = Math.max(0, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.forgetAfterMs = forgetAfter.toMillis();
        this.maxClients = Math.max(1, maxClients);
        this.maxWaiting = Math.max(1, maxWaiting);
        this.clock = clockMs;
    }

    /**
     * Counts a failure of {@code client}; answers how long its refusal waits (ms), or -1 when the client already has
     * {@code maxWaiting} refusals waiting (answer at once with 429). A positive wait must be followed by
     * {@link #answered} once the refusal went out.
     */
    public synchronized long failed(String client) {
        long now = clock.getAsLong();
        Client c = clients.get(client);
        if (c == null || now - c.lastFailureMs > forgetAfterMs) {
            c = new Client();
            clients.put(client, c);
            trim();
        }
        if (c.waiting >= maxWaiting) {
            return -1;
        }
        c.failures++;
        c.lastFailureMs = now;
        long delay = delayFor(c.failures);
        if (delay > 0) {
            c.waiting++;
        }
        return delay;
    }

    /** A delayed refusal of {@code client} went out. */
    public synchronized void answered(String client) {
        Client c = clients.get(client);
        if (c != null && c.waiting > 0) {
            c.waiting--;
        }
    }

    /** {@code client} presented the right token: its count starts again. */
    public synchronized void succeeded(String client) {
        Client c = clients.get(client);
        if (c != null) {
            c.failures = 0;
            if (c.waiting == 0) {
                clients.remove(client);
            }
        }
    }

    /** The wait of a client's {@code n}-th consecutive failure (1-based). */
    long delayFor(int n) {
        int delayed = n - free;
        if (delayed <= 0) {
            return 0;
        }
        int shift = Math.min(delayed - 1, 30);
        return Math.min(maxMs, initialMs << shift);
    }

    synchronized int clients() {
        return clients.size();
    }

    private void trim() {
        Iterator<Map.Entry<String, Client>> it = clients.entrySet().iterator();
        while (clients.size() > maxClients && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
