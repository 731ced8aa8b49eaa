package io.visionfleet.common.consumer;

import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The session of one stream worker: opened lazily by the first callback that needs it, closed when idle or when
 * the worker ends, and never again after that. Callbacks and closing hold the slot's lock, so a session is never
 * closed while a callback uses it, whichever thread closes it; the idle check only tries the lock, so it never
 * waits for a busy stream (which is not idle anyway).
 */
final class SessionSlot<S extends StreamSession> {
    private static final Logger LOG = Logger.getLogger(SessionSlot.class);

    /** A consumer callback that uses the session. */
    interface Use<S, E extends Exception> {
        void accept(S session) throws E;
    }

    private final StreamState stream;
    private final Function<StreamState, S> opener;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under the lock; volatile for {@link #current()}. */
    private volatile S session;
    private long lastUseNanos;
    private boolean ended;

    SessionSlot(StreamState stream, Function<StreamState, S> opener) {
        this.stream = stream;
        this.opener = opener;
    }

    /**
     * Runs {@code use} with the session, opening one first when none is open; does nothing once {@link #end}ed.
     * Call it outside any {@code PointerScope}: what the session allocates must live until its close.
     */
    <E extends Exception> void use(Use<S, E> use) throws E {
        run(use, true);
    }

    /** Runs {@code use} with the session if one is open. */
    <E extends Exception> void useIfOpen(Use<S, E> use) throws E {
        run(use, false);
    }

    /** The open session, for readers on other threads; it may be closed by the time they use it. */
    Optional<S> current() {
        return Optional.ofNullable(session);
    }

    /** Closes the session when no callback used it for {@code idleNanos}; returns whether it did. */
    boolean closeIfIdle(long idleNanos) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (session == null || System.nanoTime() - lastUseNanos < idleNanos) {
                return false;
            }
            LOG.infof("stream %s delivered nothing for %d ms: its session is closed", stream.streamId(),
                    idleNanos / 1_000_000);
            closeSession();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the session for good: the stream is no longer followed. */
    void end() {
        lock.lock();
        try {
            ended = true;
            if (session != null) {
                closeSession();
            }
        } finally {
            lock.unlock();
        }
    }

    private <E extends Exception> void run(Use<S, E> use, boolean open) throws E {
        lock.lock();
        try {
            if (session == null && open && !ended) {
                session = opener.apply(stream);
            }
            S current = session;
            if (current == null) {
                return;
            }
            try {
                use.accept(current);
            } finally {
                lastUseNanos = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    private void closeSession() {
        S closing = session;
        session = null;
        try {
            closing.close();
        } catch (RuntimeException e) {
            LOG.errorf(e, "stream %s: closing its session failed", stream.streamId());
        }
    }
}
