package io.visionfleet.common.consumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("quick")
class LatestFrameHandoffTest {
    /** A reusable slot as the grab thread would fill it. */
    static final class Slot {
        long seq;
    }

    private static LatestFrameHandoff<Slot> handoff() {
        return new LatestFrameHandoff<>(List.of(new Slot(), new Slot(), new Slot()));
    }

    private static void publish(LatestFrameHandoff<Slot> handoff, long seq, AtomicLong drops) {
        Slot slot = handoff.acquire();
        slot.seq = seq;
        if (handoff.publish(slot)) {
            drops.incrementAndGet();
        }
    }

    @Test
    void consumerGetsTheNewestFrameAndEveryReplacedOneCountsAsDropped() throws Exception {
        LatestFrameHandoff<Slot> handoff = handoff();
        AtomicLong drops = new AtomicLong();
        assertThat(handoff.hasPending()).isFalse();
        for (long seq = 1; seq <= 5; seq++) {
            publish(handoff, seq, drops);
        }
        assertThat(handoff.hasPending()).as("a frame waits: the next one would replace it").isTrue();
        Slot taken = handoff.take(0);
        assertThat(taken.seq).isEqualTo(5);
        assertThat(drops).hasValue(4);
        assertThat(handoff.hasPending()).isFalse();
        assertThat(handoff.take(0)).as("nothing queued behind the newest frame").isNull();
    }

    @Test
    void aKeptFirstFrameIsTakenBeforeTheBurstBehindItThenTheNewestWins() throws Exception {
        LatestFrameHandoff<Slot> handoff = handoff();
        Slot first = handoff.acquire();
        first.seq = 1;
        assertThat(handoff.publish(first, true)).isFalse();
        AtomicLong drops = new AtomicLong();
        for (long seq = 2; seq <= 8; seq++) {
            publish(handoff, seq, drops); // the relay's cached pictures, arriving before the consumer woke
        }
        assertThat(drops).as("each picture of the burst dropped instead of the kept one").hasValue(7);
        Slot taken = handoff.take(0);
        assertThat(taken.seq).as("the picture the consumer joined at").isEqualTo(1);
        handoff.release(taken);
        for (long seq = 9; seq <= 12; seq++) {
            publish(handoff, seq, drops);
        }
        assertThat(handoff.take(0).seq).as("after it, latest frame wins again").isEqualTo(12);
    }

    @Test
    void producerKeepsPublishingWhileTheConsumerHoldsASlot() throws Exception {
        LatestFrameHandoff<Slot> handoff = handoff();
        AtomicLong drops = new AtomicLong();
        publish(handoff, 1, drops);
        Slot held = handoff.take(0);
        for (long seq = 2; seq <= 100; seq++) {
            publish(handoff, seq, drops);
        }
        assertThat(held.seq).as("the frame being processed is never overwritten").isEqualTo(1);
        handoff.release(held);
        assertThat(handoff.take(0).seq).isEqualTo(100);
        assertThat(drops).hasValue(98);
    }

    @Test
    void slowConsumerNeverFallsBehindAndSlotsAreReused() throws Exception {
        LatestFrameHandoff<Slot> handoff = handoff();
        int frames = 20_000;
        AtomicLong drops = new AtomicLong();
        AtomicLong published = new AtomicLong();
        Set<Slot> slotsSeen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Long> taken = new ArrayList<>();

        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (long seq = 1; seq <= frames; seq++) {
                publish(handoff, seq, drops);
                published.set(seq);
            }
        });
        long last = 0;
        while (last < frames) {
            Slot slot = handoff.take(60_000);
            assertThat(slot).as("a frame arrives while the producer runs").isNotNull();
            slotsSeen.add(slot);
            last = slot.seq;
            taken.add(last);
            awaitPublished(published, Math.min(frames, last + 2));
            handoff.release(slot);
        }
        producer.get();

        assertThat(taken).as("never an older frame after a newer one").isSorted().doesNotHaveDuplicates();
        assertThat(taken.get(taken.size() - 1)).as("the last frame is processed: no backlog").isEqualTo(frames);
        assertThat(taken.size() + drops.get()).as("every frame is either processed or counted as dropped").isEqualTo(frames);
        assertThat(drops.get()).isPositive();
        assertThat(slotsSeen).as("three preallocated slots rotate, nothing allocated per frame").hasSizeLessThanOrEqualTo(3);
        assertThat(handoff.take(0)).isNull();
    }

    @Test
    void closeWakesAWaitingConsumer() {
        LatestFrameHandoff<Slot> handoff = handoff();
        CompletableFuture<Slot> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return handoff.take(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        handoff.close();
        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        assertThat(waiting.join()).isNull();
    }

    @Test
    void needsExactlyThreeSlots() {
        assertThatThrownBy(() -> new LatestFrameHandoff<>(List.of(new Slot(), new Slot())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly 3");
    }

    /** Processing is slower than grabbing: the consumer holds its frame until the producer grabbed up to {@code seq}. */
    private static void awaitPublished(AtomicLong published, long seq) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (published.get() < seq) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the producer did not reach frame " + seq + " within 60 s");
            }
            Thread.onSpinWait();
        }
    }
}
