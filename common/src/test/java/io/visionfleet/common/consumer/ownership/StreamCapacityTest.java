package io.visionfleet.common.consumer.ownership;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class StreamCapacityTest {
    private static final long SETTLED = StreamCapacity.SETTLE.toNanos();

    @Test
    void unknownUntilAStreamLoadsTheReplica() {
        StreamCapacity capacity = new StreamCapacity(Duration.ZERO);
        assertThat(capacity.update(0, 0, 64, 0)).isEqualTo(-1);
        assertThat(capacity.update(3, 1.5, 64, 1)).as("streams just taken: not settled").isEqualTo(-1);
        assertThat(capacity.update(3, 0.01, 64, 1 + SETTLED)).as("streams that deliver nothing").isEqualTo(-1);
        assertThat(capacity.update(3, 1.5, 64, 2 + SETTLED)).as("3 streams need 1.5 times the threads").isEqualTo(2);
        assertThat(capacity.update(0, 0, 64, 3 + SETTLED)).as("kept once it handed every stream on").isEqualTo(2);
    }

    @Test
    void movesOnlyWhenTheMeasureLeavesItByAQuarterOfAStream() {
        StreamCapacity capacity = new StreamCapacity(Duration.ZERO);
        long t = SETTLED;
        capacity.update(4, 1.0, 64, 0);
        assertThat(capacity.update(4, 1.0, 64, t)).isEqualTo(4);
        assertThat(capacity.update(4, 1.02, 64, t)).as("3.92 streams: within the hysteresis").isEqualTo(4);
        assertThat(capacity.update(4, 0.8, 64, t)).as("5.0 streams: within it too").isEqualTo(4);
        assertThat(capacity.update(4, 0.75, 64, t)).as("5.33 streams").isEqualTo(5);
        assertThat(capacity.update(4, 1.12, 64, t)).as("3.57 streams").isEqualTo(3);
    }

    @Test
    void aChangeOfTheStreamsOwnedIsMeasuredOnlyOnceItSettled() {
        StreamCapacity capacity = new StreamCapacity(Duration.ZERO);
        capacity.update(2, 0.5, 64, 0);
        assertThat(capacity.update(2, 0.5, 64, SETTLED)).isEqualTo(4);
        assertThat(capacity.update(3, 1.5, 64, SETTLED + 1)).as("a stream just taken").isEqualTo(4);
        assertThat(capacity.update(3, 1.5, 64, 2 * SETTLED)).isEqualTo(4);
        assertThat(capacity.update(3, 1.5, 64, 2 * SETTLED + 1)).as("settled: 3 streams at 1.5").isEqualTo(2);
    }

    @Test
    void notMeasuredWithinTheWarmUpAfterTheFirstStreamOwned() {
        long warmUp = Duration.ofSeconds(60).toNanos();
        StreamCapacity capacity = new StreamCapacity(Duration.ofSeconds(60));
        assertThat(capacity.update(0, 0, 64, 0)).isEqualTo(-1);
        long first = 5 * SETTLED;
        capacity.update(2, 1.0, 64, first);
        assertThat(capacity.update(2, 1.0, 64, first + SETTLED)).as("settled, but warming up").isEqualTo(-1);
        assertThat(capacity.update(3, 1.5, 64, first + warmUp - 1)).as("still warming up").isEqualTo(-1);
        assertThat(capacity.update(3, 1.5, 64, first + warmUp + SETTLED)).as("warm and settled").isEqualTo(2);
        assertThat(capacity.update(0, 0, 64, first + 2 * warmUp)).isEqualTo(2);
        capacity.update(4, 1.0, 64, first + 3 * warmUp);
        assertThat(capacity.update(4, 1.0, 64, first + 3 * warmUp + SETTLED)).as("warmed up once, for good")
                .isEqualTo(4);
    }

    @Test
    void theBestEstimateOfTheStabilizationWindowHoldsThroughADip() {
        long window = StreamCapacity.STABILIZATION.toNanos();
        StreamCapacity capacity = new StreamCapacity(Duration.ZERO);
        assertThat(capacity.best(0)).as("nothing measured").isEqualTo(-1);
        capacity.update(4, 0.8, 64, 0);
        assertThat(capacity.update(4, 0.8, 64, SETTLED)).isEqualTo(5);
        long dip = SETTLED + 1_000_000_000L;
        assertThat(capacity.update(4, 1.2, 64, dip)).as("3.33 streams").isEqualTo(3);
        assertThat(capacity.best(dip)).as("5 held a moment ago").isEqualTo(5);
        assertThat(capacity.best(dip + window - 1)).as("5 still held within the window").isEqualTo(5);
        assertThat(capacity.best(dip + window)).as("3 held for the whole window").isEqualTo(3);
        assertThat(capacity.update(4, 0.9, 64, dip + window + 1)).as("4.44 streams").isEqualTo(4);
        assertThat(capacity.best(dip + window + 1)).isEqualTo(4);
        assertThat(capacity.best(dip + 3 * window)).as("an estimate that holds stays the best").isEqualTo(4);
    }

    @Test
    void boundedByOneAndByWhatTheConsumerMayFollow() {
        assertThat(settled(1, 9.0)).isEqualTo(1);
        assertThat(settled(2, 0.05)).isEqualTo(40);
        assertThat(settled(4, 0.05)).isEqualTo(64);
    }

    private static int settled(int owned, double load) {
        StreamCapacity capacity = new StreamCapacity(Duration.ZERO);
        capacity.update(owned, load, 64, 0);
        return capacity.update(owned, load, 64, SETTLED);
    }
}
