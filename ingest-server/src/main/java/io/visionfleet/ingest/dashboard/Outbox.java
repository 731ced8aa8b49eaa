package io.visionfleet.ingest.dashboard;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser viewer's connection with a bound on what is in flight to it. Sends never block the caller (a relay
 * producer or the bus thread): what does not fit is refused, so the caller drops it and counts it, and a viewer whose
 * queue stays full past the stall timeout is disconnected.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    /** Policy violation: the viewer does not read what it asked for. */
    private static final int TOO_SLOW = 1008;

    private final WebSocketConnection connection;
    private final long maxBytes;
    private final int maxMessages;
    private final long stallNanos;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long fullSinceNanos;
    private volatile boolean closing;

    Outbox(WebSocketConnection connection, long maxBytes, int maxMessages, long stallNanos) {
        this.connection = connection;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
        this.stallNanos = stallNanos;
    }

    String id() {
        return connection.id();
    }

    /** Whether a message of {@code size} bytes fits now; notes a stall and disconnects a viewer stalled too long. */
    boolean hasRoom(int size) {
        if (closing || !connection.isOpen()) {
            return false;
        }
        if (messages.get() < maxMessages && (bytes.get() == 0 || bytes.get() + size <= maxBytes)) {
            fullSinceNanos = 0;
            return true;
        }
        long now = System.nanoTime();
        if (fullSinceNanos == 0) {
            fullSinceNanos = now;
        } else if (now - fullSinceNanos > stallNanos) {
            close(TOO_SLOW, "viewer read nothing for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
        }
        return false;
    }

    /** Sends when there is room; false (counted as a drop) when not. */
    boolean offerText(String text) {
        int size = text.length();
        if (!hasRoom(size)) {
            dropped.incrementAndGet();
            return false;
        }
        track(size, connection.sendText(text));
        return true;
    }

    /** Sends unconditionally: for the caller that already asked {@link #hasRoom}. */
    void sendBinary(Buffer data) {
        track(data.length(), connection.sendBinary(data));
    }

    void sendText(String text) {
        track(text.length(), connection.sendText(text));
    }

    void countDrop() {
        dropped.incrementAndGet();
    }

    long dropped() {
        return dropped.get();
    }

    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.infof("disconnecting viewer %s (%s)", connection.id(), reason);
        connection.close(new CloseReason(code, reason)).subscribe().with(done -> { }, failure -> { });
    }

    private void track(int size, Uni<Void> send) {
        bytes.addAndGet(size);
        messages.incrementAndGet();
        send.subscribe().with(done -> release(size), failure -> release(size));
    }

    private void release(int size) {
        bytes.addAndGet(-size);
        messages.decrementAndGet();
    }
}
