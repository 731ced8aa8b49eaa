package io.visionfleet.ingest.relay;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class ReaderGateTest {
    private final ReaderGate gate = new ReaderGate();

    @Test
    void startsAtTheFirstIdrWithoutCountingWhatCameBefore() {
        assertThat(gate.admit(false, true)).isFalse();
        assertThat(gate.admit(true, false)).isFalse();
        assertThat(gate.state()).isEqualTo(ReaderGate.State.STARTING);
        assertThat(gate.admit(true, true)).isTrue();
        assertThat(gate.state()).isEqualTo(ReaderGate.State.PLAYING);
        assertThat(gate.dropped()).isZero();
    }

    @Test
    void fullQueueDropsUntilTheNextIdrAndCountsEveryLostPicture() {
        gate.admit(true, true);
        assertThat(gate.admit(false, true)).isTrue();

        assertThat(gate.admit(false, false)).isFalse();
        assertThat(gate.state()).isEqualTo(ReaderGate.State.RESYNCING);
        assertThat(gate.admit(false, true)).as("writable again, but the picture's references are gone").isFalse();
        assertThat(gate.admit(true, false)).as("an IDR that does not fit is lost too").isFalse();
        assertThat(gate.admit(true, true)).isTrue();
        assertThat(gate.state()).isEqualTo(ReaderGate.State.PLAYING);
        assertThat(gate.dropped()).isEqualTo(3);
    }
}
