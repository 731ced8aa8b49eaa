package io.visionfleet.common.consumer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands frames from the grab thread to the processing thread, newest wins. Three preallocated slots rotate:
 * the producer fills one, at most one waits as "pending", the consumer works on one. Publishing while a frame is
 * still pending replaces it (the stale one is counted as dropped and its slot reused), so a slow consumer
 * always gets the newest frame and never a backlog: latency cannot build up, and no frame is allocated per grab.
 *
 * @param <T> the slot type (a reusable frame holder)
 */
public final class LatestFrameHandoff<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final ArrayDeque<T> free;
    private T pending;
    private boolean pendingKept;
    private boolean closed;

    /** @param slots exactly three distinct slots: producer, pending and consumer each hold at most one */
    public LatestFrameHandoff(List<T> slots) {
        if (slots.size() != 3) {
            throw new IllegalArgumentException("latest-frame handoff rotates exactly 3 slots, got " + slots.size());
        }
        free = new ArrayDeque<>(slots);
    }

    /** A free slot for the producer to fill; never blocks. */
    public T acquire() {
        lock.lock();
        try {
            T slot = free.poll();
            if (slot == null) {
                throw new IllegalStateException("producer holds a slot already: publish or abandon it first");
            }
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@code slot} the newest frame; returns true when it replaced one still pending, which is dropped. */
    public boolean publish(T slot) {
        return publish(slot, false);
    }

    /**
     * Like {@link #publish(Object)}, but a {@code keep} frame, once pending, is not replaced: newer frames are dropped
     * instead until the consumer has taken it. For a session's first frame, so that a consumer joining a stream
     * processes the picture it joined at even when the relay's cached pictures follow it in a burst. Returns true
     * when a frame was dropped.
     */
    public boolean publish(T slot, boolean keep) {
        lock.lock();
        try {
            if (pendingKept) {
                free.push(slot);
                return true;
            }
            T stale = pending;
            if (stale != null) {
                free.push(stale);
            }
            pending = slot;
            pendingKept = keep;
            published.signal();
            return stale != null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a frame waits that the consumer has not taken yet: the next one published would replace it. */
    public boolean hasPending() {
        lock.lock();
        try {
            return pending != null;
        } finally {
            lock.unlock();
        }
    }

    /** Returns a slot the producer acquired but did not fill. */
    public void abandon(T slot) {
        release(slot);
    }

    /**
     * The newest frame, waiting up to {@code timeoutMs} for one; null on timeout or after {@link #close()}.
     * The caller owns the slot until it calls {@link #release}.
     */
    public T take(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (pending == null && !closed && nanos > 0) {
                nanos = published.awaitNanos(nanos);
            }
            if (closed) {
                return null; // a frame still pending stays so: one published after it replaces it and counts it dropped
            }
            T slot = pending;
            pending = null;
            pendingKept = false;
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a slot back for reuse. */
    public void release(T slot) {
        lock.lock();
        try {
            free.push(slot);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a waiting consumer; later takes return null at once. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
