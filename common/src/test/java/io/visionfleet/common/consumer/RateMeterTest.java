package io.visionfleet.common.consumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Tag("quick")
class RateMeterTest {
    @Test
    void averagesCompleteSecondsOfTheWindow() {
        RateMeter meter = new RateMeter(5);
        long t0 = 1_700_000_000_000L;
        for (int second = 0; second < 6; second++) {
            for (int i = 0; i < 30; i++) {
                meter.mark(t0 + second * 1000L + i * 33L);
            }
        }
        // in second 6 the last five complete seconds (1..5) held 30 events each
        assertThat(meter.rate(t0 + 6000)).isCloseTo(30.0, within(1e-9));
    }

    @Test
    void fallsToZeroWhenEventsStop() {
        RateMeter meter = new RateMeter(5);
        long t0 = 1_700_000_000_000L;
        for (int i = 0; i < 25; i++) {
            meter.mark(t0 + i * 40L);
        }
        assertThat(meter.rate(t0 + 1000)).as("one complete second so far").isCloseTo(25.0, within(1e-9));
        assertThat(meter.rate(t0 + 3000)).as("none in the two complete seconds since").isZero();
        assertThat(meter.rate(t0 + 7000)).isZero();
    }

    @Test
    void aNewStreamShowsItsRateBeforeTheWindowFills() {
        RateMeter meter = new RateMeter(5);
        long t0 = 1_700_000_000_500L; // starts mid-second: that second holds 16 of the 45 events
        assertThat(meter.rate(t0)).isZero();
        for (int i = 0; i < 45; i++) {
            meter.mark(t0 + i * 33L);
        }
        assertThat(meter.rate(t0 + 1000)).as("only the partial first second is complete").isCloseTo(16.0, within(1e-9));
        assertThat(meter.rate(t0 + 1500)).as("the first complete second held 29").isCloseTo(29.0, within(1e-9));
        assertThat(meter.rate(t0 + 2500)).as("29, then none").isCloseTo(14.5, within(1e-9));
    }

    @Test
    void readingDoesNotDisturbTheRate() {
        RateMeter meter = new RateMeter(2);
        long t0 = 1_700_000_000_000L;
        for (int i = 0; i < 20; i++) {
            meter.mark(t0 + i * 100L);
        }
        assertThat(meter.rate(t0 + 2500)).isEqualTo(meter.rate(t0 + 2500)).isCloseTo(10.0, within(1e-9));
    }
}
