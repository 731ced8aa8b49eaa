package io.visionfleet.common.bus;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The publishers' outbox on a fake clock: bounds by count, bytes and age, order across resends, drop counts, and the
 * linger that lets messages a few milliseconds apart go as one batch.
 */
@Tag("quick")
class OutboxTest {
    private static final Duration NO_WAIT = Duration.ZERO;

    private final AtomicLong now = new AtomicLong();

    private Outbox outbox(int maxMessages, long maxBytes, Duration maxAge) {
        return new Outbox(maxMessages, maxBytes, maxAge, Duration.ZERO, now::get);
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Outbox.Message> batch) {
        return batch.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void overTheCountTheOldestAreDroppedAndCounted() throws Exception {
        Outbox outbox = outbox(3, 1 << 20, Duration.ofSeconds(60));
        for (String text : List.of("a", "b", "c", "d", "e")) {
            outbox.add("x", "s", body(text));
        }
        assertThat(outbox.size()).isEqualTo(3);
        assertThat(outbox.droppedFull()).isEqualTo(2);
        assertThat(texts(outbox.take(10, NO_WAIT))).containsExactly("c", "d", "e");
        assertThat(outbox.droppedExpired()).isZero();
    }

    @Test
    void overTheBytesTheOldestAreDroppedAndCounted() throws Exception {
        Outbox outbox = outbox(100, 10, Duration.ofSeconds(60));
        outbox.add("x", "s", body("1234"));
        outbox.add("x", "s", body("5678"));
        outbox.add("x", "s", body("9abc"));
        assertThat(outbox.bytes()).isEqualTo(8);
        assertThat(outbox.droppedFull()).isEqualTo(1);
        assertThat(texts(outbox.take(10, NO_WAIT))).containsExactly("5678", "9abc");
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void messagesOlderThanTheAgeBoundAreDroppedAndCounted() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, Duration.ofSeconds(60));
        outbox.add("x", "s", body("old"));
        now.set(Duration.ofSeconds(30).toNanos());
        outbox.add("x", "s", body("newer"));
        now.set(Duration.ofSeconds(61).toNanos());
        assertThat(texts(outbox.take(10, NO_WAIT))).containsExactly("newer");
        assertThat(outbox.droppedExpired()).isEqualTo(1);
        assertThat(outbox.droppedFull()).isZero();
    }

    @Test
    void anUnconfirmedBatchIsSentAgainFirstAndInOrder() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, Duration.ofSeconds(60));
        outbox.add("x", "s", body("a"));
        outbox.add("y", "s", body("b"));
        outbox.add("x", "s", body("c"));
        List<Outbox.Message> first = outbox.take(2, NO_WAIT);
        assertThat(texts(first)).containsExactly("a", "b");
        assertThat(outbox.size()).as("in flight counts until confirmed").isEqualTo(3);
        outbox.add("x", "s", body("d"));
        outbox.putBack(first);
        List<Outbox.Message> again = outbox.take(10, NO_WAIT);
        assertThat(texts(again)).containsExactly("a", "b", "c", "d");
        assertThat(again.get(1).exchange()).isEqualTo("y");
        outbox.confirmed(again);
        assertThat(outbox.size()).isZero();
        assertThat(outbox.awaitEmpty(NO_WAIT)).isTrue();
    }

    @Test
    void aBatchPutBackIntoAFullOutboxLosesItsOldestAndCountsThem() throws Exception {
        Outbox outbox = outbox(3, 1 << 20, Duration.ofSeconds(60));
        outbox.add("x", "s", body("a"));
        outbox.add("x", "s", body("b"));
        List<Outbox.Message> inFlight = outbox.take(2, NO_WAIT);
        outbox.add("x", "s", body("c"));
        outbox.add("x", "s", body("d"));
        outbox.putBack(inFlight);
        assertThat(outbox.droppedFull()).isEqualTo(1);
        assertThat(texts(outbox.take(10, NO_WAIT))).containsExactly("b", "c", "d");
    }

    @Test
    void aBatchPutBackAfterTheAgeBoundIsDroppedAndCounted() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, Duration.ofSeconds(60));
        outbox.add("x", "s", body("a"));
        List<Outbox.Message> inFlight = outbox.take(1, NO_WAIT);
        now.set(Duration.ofSeconds(61).toNanos());
        outbox.putBack(inFlight);
        assertThat(outbox.size()).isZero();
        assertThat(outbox.droppedExpired()).isEqualTo(1);
    }

    @Test
    void takeReturnsNothingWhenNothingArrivesInTime() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, Duration.ofSeconds(60));
        assertThat(outbox.take(10, Duration.ofMillis(20))).isEmpty();
        assertThat(outbox.awaitEmpty(NO_WAIT)).isTrue();
    }

    /** An outbox whose linger (an hour on the fake clock) would make any wait for it plain to see. */
    private Outbox lingering() {
        return new Outbox(100, 1 << 20, Duration.ofHours(2), Duration.ofHours(1), now::get);
    }

    private static List<String> takeAtOnce(Outbox outbox, int max) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> texts(outbox.take(max, NO_WAIT)));
    }

    @Test
    void aMessageAfterAQuietSpellGoesAtOnce() {
        Outbox outbox = lingering();
        outbox.add("x", "s", body("a"));
        assertThat(takeAtOnce(outbox, 3)).as("the first message").containsExactly("a");
        now.set(Duration.ofMinutes(61).toNanos());
        outbox.add("x", "s", body("b"));
        assertThat(takeAtOnce(outbox, 3)).as("a linger after the last batch").containsExactly("b");
    }

    @Test
    void messagesComingWithinTheLingerOfTheLastBatchGoTogether() throws Exception {
        Outbox outbox = lingering();
        outbox.add("x", "s", body("a"));
        assertThat(takeAtOnce(outbox, 3)).containsExactly("a");
        outbox.add("x", "s", body("b"));
        CompletableFuture<List<Outbox.Message>> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(outbox.take(3, NO_WAIT));
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        });
        taker.start();
        // a message is there, so a taker that waits is lingering for more
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (taker.getState() != Thread.State.TIMED_WAITING && !taken.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(taken).as("taken before the linger was over").isNotDone();
        outbox.add("x", "s", body("c"));
        outbox.add("x", "s", body("d"));
        assertThat(texts(taken.get(10, TimeUnit.SECONDS))).containsExactly("b", "c", "d");
    }

    @Test
    void aBatchPutBackDoesNotWaitOutTheLingerAgain() {
        Outbox outbox = lingering();
        outbox.add("x", "s", body("a"));
        List<Outbox.Message> first = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> outbox.take(1, NO_WAIT));
        now.set(Duration.ofMinutes(61).toNanos());
        outbox.add("x", "s", body("b"));
        assertThat(takeAtOnce(outbox, 1)).containsExactly("b");
        outbox.putBack(first);
        assertThat(takeAtOnce(outbox, 3)).as("older than the linger, though a batch just left").containsExactly("a");
    }

    @Test
    void aLingerAsLongAsTheAgeBoundIsRefused() {
        assertThatThrownBy(() -> new Outbox(100, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger");
    }
}
