package io.visionfleet.common.consumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stream's session lifetime: opened lazily, closed exactly once when idle or ended, never while in use. */
@Tag("quick")
class SessionSlotTest {
    /** A session that counts its closes. */
    static final class CountedSession implements StreamSession {
        final int number;
        final AtomicInteger closes = new AtomicInteger();

        CountedSession(int number) {
            this.number = number;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    private final List<CountedSession> opened = new CopyOnWriteArrayList<>();
    private final SessionSlot<CountedSession> slot = new SessionSlot<>(new StreamState("cam", "rtsp://relay/cam"),
            stream -> {
                CountedSession s = new CountedSession(opened.size());
                opened.add(s);
                return s;
            });

    private int use() {
        AtomicInteger number = new AtomicInteger(-1);
        slot.use(s -> number.set(s.number));
        return number.get();
    }

    @Test
    void theFirstUseOpensTheSessionAndLaterUsesShareIt() {
        assertThat(slot.current()).isEmpty();
        assertThat(use()).isEqualTo(0);
        assertThat(use()).isEqualTo(0);
        assertThat(opened).hasSize(1);
        assertThat(slot.current()).containsSame(opened.get(0));
    }

    @Test
    void useIfOpenNeverOpensOne() {
        AtomicInteger calls = new AtomicInteger();
        slot.useIfOpen(s -> calls.incrementAndGet());
        assertThat(calls).hasValue(0);
        assertThat(opened).isEmpty();
    }

    @Test
    void anIdleSessionIsClosedOnceAndTheNextUseOpensAFreshOne() {
        use();
        assertThat(slot.closeIfIdle(Duration.ofHours(1).toNanos())).as("used just now").isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> slot.closeIfIdle(Duration.ofMillis(50).toNanos()));
        assertThat(opened.get(0).closes).hasValue(1);
        assertThat(slot.current()).isEmpty();
        assertThat(slot.closeIfIdle(0)).as("nothing left to close").isFalse();

        assertThat(use()).isEqualTo(1);
        assertThat(opened.get(0).closes).hasValue(1);
        assertThat(opened.get(1).closes).hasValue(0);
    }

    @Test
    void endClosesTheSessionOnceAndNoUseReopensIt() {
        use();
        slot.end();
        slot.end();
        assertThat(use()).as("the callback does not run").isEqualTo(-1);
        assertThat(slot.closeIfIdle(0)).isFalse();
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).closes).hasValue(1);
    }

    @Test
    void aSessionInUseIsNotClosedUntilItsCallbackReturns() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread callback = new Thread(() -> {
            try {
                slot.use(s -> {
                    inside.countDown();
                    leave.await();
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        callback.start();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(slot.closeIfIdle(0)).as("busy, so not idle").isFalse();

        Thread ending = new Thread(slot::end);
        ending.start();
        // parked on the slot's lock: end waits for the callback
        await().atMost(Duration.ofSeconds(5)).until(() -> ending.getState() == Thread.State.WAITING);
        assertThat(opened.get(0).closes).hasValue(0);

        leave.countDown();
        ending.join(5000);
        callback.join(5000);
        assertThat(ending.isAlive()).isFalse();
        assertThat(opened.get(0).closes).hasValue(1);
    }

    @Test
    void theExpiryClosesIdleSessionsOnItsOwnThread() {
        use();
        try (SessionExpiry expiry = new SessionExpiry(Duration.ofMillis(100), () -> List.of(slot))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> slot.current().isEmpty());
        }
        assertThat(opened.get(0).closes).hasValue(1);
    }
}
