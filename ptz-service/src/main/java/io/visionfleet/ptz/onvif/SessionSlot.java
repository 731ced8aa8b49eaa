package io.visionfleet.ptz.onvif;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The driver's discovered session: found by the first caller that needs it while concurrent callers wait for that
 * result (they cannot move without it), kept until {@link #forget} (the camera was unreachable and may come back
 * with other services). A failed discovery is not kept: the next caller tries again. No lock is held while
 * discovering; the slot only ever holds the one discovery in flight or done.
 */
final class SessionSlot {
    private final AtomicReference<CompletableFuture<OnvifSession>> slot = new AtomicReference<>();

    /** The session, discovered with {@code discover} if there is none yet. */
    OnvifSession get(Supplier<OnvifSession> discover) {
        while (true) {
            CompletableFuture<OnvifSession> f = slot.get();
            if (f != null) {
                return join(f);
            }
            CompletableFuture<OnvifSession> mine = new CompletableFuture<>();
            if (slot.compareAndSet(null, mine)) {
                try {
                    OnvifSession s = discover.get();
                    mine.complete(s);
                    return s;
                } catch (RuntimeException e) {
                    slot.compareAndSet(mine, null);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
        }
    }

    /** The session if one was discovered, else null (never discovers). */
    OnvifSession peek() {
        return found(slot.get());
    }

    /** Drops {@code session} (not a newer one found meanwhile): the next caller discovers again. */
    void forget(OnvifSession session) {
        CompletableFuture<OnvifSession> f = slot.get();
        if (found(f) == session) {
            slot.compareAndSet(f, null);
        }
    }

    private static OnvifSession found(CompletableFuture<OnvifSession> f) {
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    private static OnvifSession join(CompletableFuture<OnvifSession> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
