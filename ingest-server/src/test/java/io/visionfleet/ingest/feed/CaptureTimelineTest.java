package io.visionfleet.ingest.feed;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.visionfleet.ingest.feed.CaptureTimeline.NONE;
import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class CaptureTimelineTest {
    private static final long T0 = 1_795_290_000_000L;
    private final CaptureTimeline timeline = new CaptureTimeline(2_000, 30_000);

    @Test
    void aBurstAfterAStallFillsTheStallAtTheFrameRateAndLiveFramesKeepTheirArrival() {
        List<Long> stamps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            stamps.add(timeline.next(T0 + i * 1000L / 30, NONE).captureTs());
        }
        long stalledAt = T0 + 29 * 1000L / 30;
        long burstAt = stalledAt + 2_000;
        for (int i = 0; i < 60; i++) {
            stamps.add(timeline.next(burstAt + i / 10, NONE).captureTs()); // 60 pictures within 6 ms
        }
        long live = timeline.next(burstAt + 33, NONE).captureTs();

        for (int i = 30; i < 90; i++) {
            assertThat(stamps.get(i) - stamps.get(i - 1)).as("gap before picture %d", i).isBetween(32L, 35L);
        }
        assertThat(stamps.get(89)).as("the backlog ends where it arrived").isBetween(burstAt - 35, burstAt + 35);
        assertThat(live).as("the next live picture has its arrival time").isEqualTo(burstAt + 33);
    }

    @Test
    void aPauseWithoutBacklogCostsThreePicturesTheirTimeAndThenTheStreamIsLiveAgain() {
        long resumed = thirtyPicturesThenTwoSecondsOfSilence();
        List<Long> stamps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stamps.add(timeline.next(resumed + i * 33L, NONE).captureTs());
        }
        assertThat(stamps).as("taken for a backlog until three arrive at the frame rate")
                .containsExactly(T0 + 30 * 33L, T0 + 31 * 33L, T0 + 32 * 33L, resumed + 3 * 33L);
    }

    @Test
    void aPauseWhileABacklogDrainsKeepsTheBurstAtTheFrameRate() {
        long burstAt = thirtyPicturesThenTwoSecondsOfSilence();
        List<Long> stamps = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long hiccup = i >= 30 ? 300 : 0; // the network holds the second half of the backlog for 300 ms
            stamps.add(timeline.next(burstAt + hiccup + i / 10, NONE).captureTs());
        }
        for (int i = 1; i < 60; i++) {
            assertThat(stamps.get(i) - stamps.get(i - 1)).as("gap before picture %d", i).isEqualTo(33L);
        }
    }

    @Test
    void picturesArrivingTogetherAreSpacedAtTheAnnouncedRateBeforeAnyIsMeasured() {
        timeline.announcedFps(25);
        long a = timeline.next(T0, NONE).captureTs();
        long b = timeline.next(T0, NONE).captureTs();
        long c = timeline.next(T0 + 1, NONE).captureTs();
        assertThat(List.of(a, b, c)).containsExactly(T0, T0 + 40, T0 + 80);
    }

    @Test
    void senderTimesAreTakenExactlyEvenInABurst() {
        long arrival = T0 + 2_000;
        for (int i = 0; i < 60; i++) {
            CaptureTimeline.Stamp stamp = timeline.next(arrival + i / 20, T0 + i * 33L);
            assertThat(stamp.refusal()).isNull();
            assertThat(stamp.captureTs()).isEqualTo(T0 + i * 33L);
        }
    }

    @Test
    void senderTimesThatGoBackRunAheadOrAreStaleAreRefusedAndTheArrivalRuleStampsThePicture() {
        timeline.next(T0, T0 - 10);
        CaptureTimeline.Stamp backwards = timeline.next(T0 + 33, T0 - 10);
        assertThat(backwards.refusal()).contains("not after the previous picture's " + (T0 - 10));
        assertThat(backwards.captureTs()).isEqualTo(T0 + 33);

        CaptureTimeline.Stamp ahead = timeline.next(T0 + 66, T0 + 66 + 2_001);
        assertThat(ahead.refusal()).contains("2001 ms ahead of the server clock (limit 2000 ms)");
        assertThat(ahead.captureTs()).isEqualTo(T0 + 66);

        CaptureTimeline.Stamp stale = timeline.next(T0 + 99, T0 + 99 - 30_001);
        assertThat(stale.refusal()).contains("30001 ms older than its arrival (limit 30000 ms)");
        assertThat(stale.captureTs()).isEqualTo(T0 + 99);

        assertThat(timeline.next(T0 + 132, T0 + 130).refusal()).as("a good one after bad ones").isNull();
    }

    @Test
    void aSenderFasterThanRealTimeIsSpacedUpToTheLeadLimitThenOneMillisecondApart() {
        List<Long> stamps = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            stamps.add(timeline.next(T0 + i / 10, NONE).captureTs()); // 200 pictures in 20 ms
        }
        assertThat(stamps.get(60) - stamps.get(59)).as("spaced while within 2 s of the arrival").isBetween(33L, 34L);
        for (int i = 62; i < 200; i++) {
            assertThat(stamps.get(i) - stamps.get(i - 1)).as("gap before picture %d", i).isEqualTo(1L);
        }
        assertThat(stamps.get(199)).as("over 1000 a second: a ms each beyond the lead").isEqualTo(T0 + 2_006 + 138);
    }

    /** Stamps 30 pictures 33 ms apart from T0; returns when the next one arrives, 2 s after the last. */
    private long thirtyPicturesThenTwoSecondsOfSilence() {
        for (int i = 0; i < 30; i++) {
            timeline.next(T0 + i * 33L, NONE);
        }
        return T0 + 29 * 33L + 2_000;
    }
}
