package io.visionfleet.ptz.driver;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hold-off after refused credentials, on a clock the test moves. */
@Tag("quick")
class AuthHoldOffTest {
    private final AtomicLong now = new AtomicLong(5_000_000);
    private final AuthHoldOff holdOff = new AuthHoldOff("cam-1", "admin", "fleet.ptz.cameras.*.x.password",
            Duration.ofSeconds(60), now::get);

    @Test
    void aRefusalHoldsOffForTheFirstPeriodThenLetsRequestsThrough() {
        assertThatCode(holdOff::check).doesNotThrowAnyException();
        assertThat(holdOff.refused("HTTP 401")).isEqualTo(60_000);
        now.addAndGet(59_001);
        assertThatThrownBy(holdOff::check).isInstanceOf(PtzAuthException.class)
                .hasMessage("camera cam-1 refused user 'admin'; not trying again for 1 s (its login lock trips after "
                        + "repeated failures): check fleet.ptz.cameras.*.x.password");
        now.addAndGet(999);
        assertThatCode(holdOff::check).doesNotThrowAnyException();
    }

    @Test
    void eachRefusalDoublesTheHoldOffUpTo30MinutesAndAnAcceptedRequestResetsIt() {
        long[] held = new long[7];
        for (int i = 0; i < held.length; i++) {
            held[i] = holdOff.refused("HTTP 401");
            now.addAndGet(held[i]);
        }
        assertThat(held).containsExactly(60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000);
        holdOff.accepted();
        assertThat(holdOff.refused("HTTP 401")).isEqualTo(TimeUnit.SECONDS.toMillis(60));
    }

    @Test
    void refusalsOfRequestsInFlightWhenTheHoldOffBeganCountOnce() {
        assertThat(holdOff.refused("first")).isEqualTo(60_000);
        now.addAndGet(10_000);
        assertThat(holdOff.refused("in flight")).as("the rest of the same hold-off").isEqualTo(50_000);
        now.addAndGet(50_000);
        assertThat(holdOff.refused("next")).as("doubled once, not twice").isEqualTo(120_000);
    }
}
