package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The discovered-session slot with discoveries the test counts and holds. */
@Tag("quick")
class SessionSlotTest {
    private final SessionSlot slot = new SessionSlot();
    private final AtomicInteger discoveries = new AtomicInteger();

    private OnvifSession found() {
        return new OnvifSession(null, null, "Profile_" + discoveries.incrementAndGet(), "n", null, null, null, null,
                null, null, 0);
    }

    @Test
    void concurrentCallersShareOneDiscovery() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<OnvifSession> first = CompletableFuture.supplyAsync(() -> slot.get(() -> {
            entered.countDown();
            await(gate);
            return found();
        }));
        await(entered);
        CompletableFuture<OnvifSession> second = CompletableFuture.supplyAsync(() -> slot.get(() -> {
            throw new AssertionError("a second discovery while one is in flight");
        }));
        assertThat(slot.peek()).as("nothing found yet").isNull();
        gate.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).profile()).isEqualTo("Profile_1");
        assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(first.get());
        assertThat(discoveries).hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailedDiscoveryIsNotKept() {
        assertThatThrownBy(() -> slot.get(() -> {
            throw new PtzException("camera refused");
        })).hasMessage("camera refused");
        assertThat(slot.peek()).isNull();
        assertThat(slot.get(this::found).profile()).isEqualTo("Profile_1");
        assertThat(slot.peek().profile()).isEqualTo("Profile_1");
    }

    @Test
    void forgettingDropsOnlyThatSession() {
        OnvifSession old = slot.get(this::found);
        slot.forget(old);
        OnvifSession fresh = slot.get(this::found);
        assertThat(fresh.profile()).isEqualTo("Profile_2");
        slot.forget(old); // a caller that failed on the old session, late
        assertThat(slot.peek()).isSameAs(fresh);
    }
}
