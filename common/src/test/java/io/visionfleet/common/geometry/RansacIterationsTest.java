package io.visionfleet.common.geometry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class RansacIterationsTest {
    @Test
    void theSamplesNeededGrowAsTheShareFallsAndTheSampleGrows() {
        // five-point samples, 99.9 %: half the points fit -> 218 draws; 60 of 71 -> 13
        assertThat(RansacIterations.forShare(0.5, 5, 0.999, 100_000)).isEqualTo(218);
        assertThat(RansacIterations.forShare(60.0 / 71, 5, 0.999, 100_000)).isEqualTo(13);
        // four-point samples, 99.5 %: 30 % fit -> 652
        assertThat(RansacIterations.forShare(0.3, 4, 0.995, 100_000)).isEqualTo(652);
    }

    @Test
    void theBoundsHold() {
        assertThat(RansacIterations.forShare(1.0, 5, 0.999, 1000)).isEqualTo(10);
        assertThat(RansacIterations.forShare(0.1, 5, 0.999, 1000)).isEqualTo(1000);
    }
}
