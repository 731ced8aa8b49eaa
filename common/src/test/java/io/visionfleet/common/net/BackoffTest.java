package io.visionfleet.common.net;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class BackoffTest {
    @Test
    void startsAtTwoSecondsDoublesAndStopsAtFive() {
        Backoff backoff = new Backoff();
        assertThat(Stream.generate(backoff::nextDelay).limit(5).map(Duration::toSeconds))
                .containsExactly(2L, 4L, 5L, 5L, 5L);
    }

    @Test
    void successStartsOverAtTheInitialDelay() {
        Backoff backoff = new Backoff();
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.reset();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void notReadyYetIsRetriedQuicklyForABoundedTimeThenBacksOff() {
        Backoff backoff = new Backoff();
        long start = 1_000_000_000L;
        long patience = Backoff.NOT_READY_PATIENCE.toNanos();
        assertThat(backoff.nextDelayNotReady(start)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.nextDelayNotReady(start + patience - 1)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.nextDelayNotReady(start + patience)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.nextDelayNotReady(start + patience + 1)).isEqualTo(Duration.ofSeconds(4));

        backoff.reset(); // the stream played, or was announced again: a new start gets quick retries again
        assertThat(backoff.nextDelayNotReady(start + 10 * patience)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void rejectsAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
