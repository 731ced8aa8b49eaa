package io.visionfleet.ingest.source;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class PacketPacerTest {
    @Test
    void packetsAreDueAtTheirDecodeTimeAfterTheFirst() {
        PacketPacer pacer = new PacketPacer();
        assertThat(pacer.dueMs(10.0, 5_000)).isEqualTo(5_000);
        assertThat(pacer.dueMs(10.040, 5_001)).isEqualTo(5_040);
        assertThat(pacer.dueMs(10.080, 5_002)).isEqualTo(5_080);
    }

    @Test
    void aNewPassContinuesOneFrameIntervalAfterThePreviousPassEvenIfThatIsInTheFuture() {
        PacketPacer pacer = new PacketPacer();
        pacer.dueMs(0.0, 1_000);
        pacer.dueMs(0.040, 1_000);
        assertThat(pacer.dueMs(0.080, 1_000)).isEqualTo(1_080);
        pacer.newPass();
        // the loop restarts before the last packet's due time passed: time still moves forward by one frame
        assertThat(pacer.dueMs(0.0, 1_050)).isEqualTo(1_120);
        assertThat(pacer.dueMs(0.040, 1_050)).isEqualTo(1_160);
    }

    @Test
    void aPassReopenedLateOnABusyMachineKeepsTheTimelineSoNoPauseAppearsAtTheLoop() {
        PacketPacer pacer = new PacketPacer();
        pacer.dueMs(0.0, 1_000);
        assertThat(pacer.dueMs(0.040, 1_000)).isEqualTo(1_040);
        pacer.newPass();
        // reopening the file took 130 ms instead of one frame interval: the first picture is overdue, not late
        assertThat(pacer.dueMs(0.0, 1_170)).isEqualTo(1_080);
        assertThat(pacer.dueMs(0.040, 1_171)).isEqualTo(1_120);
        pacer.newPass();
        assertThat(pacer.dueMs(0.0, 1_160 + PacketPacer.MAX_CATCH_UP_MS)).as("a second late at most").isEqualTo(1_160);
        pacer.newPass();
        long tooLate = 1_200 + PacketPacer.MAX_CATCH_UP_MS + 1;
        assertThat(pacer.dueMs(0.0, tooLate)).as("beyond it, a gap").isEqualTo(tooLate);
    }

    @Test
    void aNewPassAfterALongPauseStartsNow() {
        PacketPacer pacer = new PacketPacer();
        pacer.dueMs(0.0, 1_000);
        pacer.newPass();
        assertThat(pacer.dueMs(0.0, 9_000)).isEqualTo(9_000);
    }

    @Test
    void timestampsGoingBackwardsInsideAPassDoNotMoveTimeBackwards() {
        PacketPacer pacer = new PacketPacer();
        pacer.dueMs(1.0, 1_000);
        pacer.dueMs(1.5, 1_000);
        assertThat(pacer.dueMs(1.2, 1_000)).isEqualTo(1_500);
    }
}
