package io.visionfleet.ingest.source;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void doublesFromTwoSecondsToThirtyAndStartsOverAfterSuccess() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(new long[]{backoff.next().toSeconds(), backoff.next().toSeconds(), backoff.next().toSeconds(),
                backoff.next().toSeconds(), backoff.next().toSeconds(), backoff.next().toSeconds()})
                .containsExactly(2, 4, 8, 16, 30, 30);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
    }
}
