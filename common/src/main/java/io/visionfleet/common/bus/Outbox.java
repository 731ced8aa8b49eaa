package io.visionfleet.common.bus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Messages waiting for the broker, oldest first, bounded by count, bytes and age. Producers {@link #add} and never
 * wait; the one sender {@link #take}s a batch, then reports it {@link #confirmed} or {@link #putBack}s it, so an
 * unconfirmed batch is sent again in its original order. What the bounds push out is counted, never silently lost.
 */
final class Outbox {
    /** One message as it will be published: the body is serialised once, so a resend is byte-identical. */
    record Message(String exchange, String routingKey, byte[] body, long enqueuedNanos) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final long maxAgeNanos;
    private final long lingerNanos;
    private final LongSupplier nanoClock;
    private final Deque<Message> queue = new ArrayDeque<>();
    private long bytes;
    private int inFlight;
    /** When the last batch left; a message coming at least the linger after it goes at once. */
    private long lastTakeNanos;
    private long droppedFull;
    private long droppedExpired;

    Outbox(int maxMessages, long maxBytes, Duration maxAge, Duration linger, LongSupplier nanoClock) {
        if (maxMessages < 1 || maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("outbox bounds must be positive");
        }
        if (linger.isNegative() || linger.compareTo(maxAge) >= 0) {
            throw new IllegalArgumentException("the outbox's linger must be at least 0 and below its max-age");
        }
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAge.toNanos();
        this.lingerNanos = linger.toNanos();
        this.nanoClock = nanoClock;
        this.lastTakeNanos = nanoClock.getAsLong() - lingerNanos;
    }

    /**
     * Adds {@code body} for {@code exchange} with {@code routingKey}, dropping the oldest messages if the outbox is
     * over a bound.
     */
    synchronized void add(String exchange, String routingKey, byte[] body) {
        queue.addLast(new Message(exchange, routingKey, body, nanoClock.getAsLong()));
        bytes += body.length;
        trimToBounds();
        notifyAll();
    }

    /**
     * Removes and returns up to {@code max} of the oldest messages, first dropping expired ones; waits up to
     * {@code wait} for one to arrive, and returns an empty list if none did. Batches leave at least {@code linger}
     * apart, or sooner with {@code max} messages: messages coming a few milliseconds apart go to the broker together,
     * whose cost is per batch more than per message (docs/benchmarks.md), while one coming after a quiet spell (a
     * single stream's result) goes at once. A message put back waits no longer than {@code linger} from its enqueue.
     */
    synchronized List<Message> take(int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); expire() && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        for (long left = lingerLeft(); left > 0 && queue.size() < max; left = lingerLeft()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<Message> batch = new ArrayList<>(Math.min(max, queue.size()));
        while (batch.size() < max && !queue.isEmpty()) {
            Message m = queue.pollFirst();
            bytes -= m.body().length;
            batch.add(m);
        }
        inFlight += batch.size();
        if (!batch.isEmpty()) {
            lastTakeNanos = nanoClock.getAsLong();
        }
        return batch;
    }

    /** The broker confirmed a batch from {@link #take}. */
    synchronized void confirmed(List<Message> batch) {
        inFlight -= batch.size();
        notifyAll();
    }

    /** Returns an unconfirmed batch to the head, in order, to be sent first; the bounds then apply again. */
    synchronized void putBack(List<Message> batch) {
        inFlight -= batch.size();
        for (ListIterator<Message> it = batch.listIterator(batch.size()); it.hasPrevious(); ) {
            Message m = it.previous();
            queue.addFirst(m);
            bytes += m.body().length;
        }
        trimToBounds();
        expire();
        notifyAll();
    }

    /** Waits up to {@code timeout} until every message was confirmed; true if so. */
    synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); size() > 0 && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return size() == 0;
    }

    /** Messages not yet confirmed: waiting, or sent and waiting for the confirm. */
    synchronized int size() {
        return queue.size() + inFlight;
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Messages dropped because the outbox was full (by count or bytes). */
    synchronized long droppedFull() {
        return droppedFull;
    }

    /** Messages dropped because they waited longer than the age bound. */
    synchronized long droppedExpired() {
        return droppedExpired;
    }

    private void trimToBounds() {
        while (queue.size() > maxMessages || bytes > maxBytes) {
            bytes -= queue.pollFirst().body().length;
            droppedFull++;
        }
    }

    /** How much longer the waiting messages wait for others to join them; 0 or less when they may go. */
    private long lingerLeft() {
        if (queue.isEmpty()) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        return lingerNanos - Math.max(now - queue.peekFirst().enqueuedNanos(), now - lastTakeNanos);
    }

    /** Drops messages older than the age bound; true when nothing is left. */
    private boolean expire() {
        long now = nanoClock.getAsLong();
        while (!queue.isEmpty() && now - queue.peekFirst().enqueuedNanos() > maxAgeNanos) {
            bytes -= queue.pollFirst().body().length;
            droppedExpired++;
        }
        return queue.isEmpty();
    }
}
