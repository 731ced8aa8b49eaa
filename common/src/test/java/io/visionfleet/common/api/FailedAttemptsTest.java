package io.visionfleet.common.api;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The slowing of failed token checks per client, on a clock the test moves. */
@Tag("quick")
class FailedAttemptsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailedAttempts attempts = new FailedAttempts(3, Duration.ofMillis(250), Duration.ofSeconds(5),
            Duration.ofMinutes(15), 100, 8, now::get);

    @Test
    void theFirstFailuresAreFreeThenTheWaitDoublesUpToTheCap() {
        long[] waits = new long[10];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = attempts.failed("10.0.0.1");
            attempts.answered("10.0.0.1");
        }
        assertThat(waits).containsExactly(0, 0, 0, 250, 500, 1000, 2000, 4000, 5000, 5000);
    }

    @Test
    void clientsAreCountedApartAndASuccessStartsAfresh() {
        for (int i = 0; i < 5; i++) {
            attempts.failed("a");
            attempts.answered("a");
        }
        assertThat(attempts.failed("b")).as("another client").isZero();
        attempts.succeeded("a");
        assertThat(attempts.failed("a")).as("after the right token").isZero();
    }

    @Test
    void aQuietClientIsForgotten() {
        for (int i = 0; i < 5; i++) {
            attempts.failed("a");
            attempts.answered("a");
        }
        now.addAndGet(Duration.ofMinutes(16).toMillis());
        assertThat(attempts.failed("a")).isZero();
    }

    @Test
    void tooManyWaitingRefusalsAreAnsweredAtOnceNeverLockingOut() {
        for (int i = 0; i < 3; i++) {
            attempts.failed("a");
        }
        for (int i = 0; i < 8; i++) {
            assertThat(attempts.failed("a")).isPositive(); // held, not yet answered
        }
        assertThat(attempts.failed("a")).as("a ninth held refusal").isEqualTo(-1);
        attempts.answered("a");
        assertThat(attempts.failed("a")).isPositive();
        attempts.succeeded("a");
        assertThat(attempts.delayFor(1)).isZero();
    }

    @Test
    void theNumberOfRememberedClientsIsBounded() {
        for (int i = 0; i < 1000; i++) {
            attempts.failed("10.0." + i / 256 + "." + i % 256);
        }
        assertThat(attempts.clients()).isLessThanOrEqualTo(100);
    }

    @Test
    void pathsOpenForReadsMatchWholeSegmentsOrPrefixes() {
        var open = java.util.List.of("/q/health", "/", "/js/*");
        assertThat(ApiGuard.open("/q/health/ready", open)).isTrue();
        assertThat(ApiGuard.open("/q/healthy", open)).isFalse();
        assertThat(ApiGuard.open("/", open)).isTrue();
        assertThat(ApiGuard.open("/streams", open)).isFalse();
        assertThat(ApiGuard.open("/js/app.js", open)).isTrue();
        assertThat(ApiGuard.bearer("Bearer abc ")).isEqualTo("abc");
        assertThat(ApiGuard.bearer("bearer abc")).isEqualTo("abc");
        assertThat(ApiGuard.bearer("Basic abc")).isNull();
        assertThat(ApiGuard.bearer("Bearer ")).isNull();
        assertThat(ApiGuard.ticket("a=1; fleet_session=v1.x; b=2")).isEqualTo("v1.x");
        assertThat(ApiGuard.ticket("fleet_session_other=v1.x")).isNull();
    }
}
