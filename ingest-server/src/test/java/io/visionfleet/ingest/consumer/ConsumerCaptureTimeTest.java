package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue test 7: two consumers that connect to the relay at different times stamp the same picture with the same
 * {@code capture_ts}, and it is the capture time the picture was published with. Pictures are matched by their
 * decoded pixels, not by any timestamp.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class ConsumerCaptureTimeTest {
    private static final int FPS = 30;
    private static final int CLIP_PICTURES = 150;

    @Inject
    TestRelay relay;

    @Test
    void twoConsumersThatJoinedAtDifferentTimesAgreeOnEveryPicturesCaptureTime() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, FPS, FPS, CLIP_PICTURES);
        try (TestRelay.FedStream fed = relay.feed("capture-ts", clip, CLIP_PICTURES);
             RecordingConsumer early = new RecordingConsumer(relay.url(""));
             RecordingConsumer late = new RecordingConsumer(relay.url(""))) {
            PacedFeed feed = fed.feed();
            early.follow("capture-ts");
            await().atMost(Duration.ofSeconds(15)).until(() -> feed.published() >= 45 && early.seen().size() >= 30);
            late.follow("capture-ts"); // 1.5 s later: it starts from the relay's cached GOP
            // the last picture is the newest for good: both consumers process it, whatever they skipped before
            await().atMost(Duration.ofSeconds(20)).until(() -> lastPicture(early, clip) == CLIP_PICTURES - 1
                    && lastPicture(late, clip) == CLIP_PICTURES - 1);

            Map<Integer, RecordingConsumer.Seen> byEarly = framesByPicture(early, clip, feed);
            Map<Integer, RecordingConsumer.Seen> byLate = framesByPicture(late, clip, feed);
            int firstOfLate = byLate.keySet().stream().min(Integer::compare).orElseThrow();
            assertThat(firstOfLate).as("the late consumer joined mid-stream").isGreaterThanOrEqualTo(30);

            // latest frame wins: how many pictures each consumer skipped, and so how many both processed, is the load's
            List<Integer> common = byLate.keySet().stream().filter(byEarly::containsKey).sorted().toList();
            System.out.printf("capture-ts: early consumer processed %d pictures, late %d, both %d%n", byEarly.size(),
                    byLate.size(), common.size());
            assertThat(common).as("pictures both consumers processed").contains(CLIP_PICTURES - 1);
            for (int picture : common) {
                RecordingConsumer.Seen a = byEarly.get(picture);
                RecordingConsumer.Seen b = byLate.get(picture);
                assertThat(b.captureTs()).as("picture %d", picture).isCloseTo(a.captureTs(), within(1L));
            }
            RecordingConsumer.Seen a = byEarly.get(common.get(0));
            RecordingConsumer.Seen b = byLate.get(common.get(0));
            assertThat(a.ptsUs()).as("the sessions' own timelines differ...").isNotEqualTo(b.ptsUs());
            assertThat(a.frameNumber()).as("...and so do the consumers' frame counts").isNotEqualTo(b.frameNumber());
        }
    }

    /**
     * Every frame the consumer processed, by the clip picture its pixels are; each must carry the capture time
     * that picture was published with (to the millisecond) and come from the relay's RTCP clock.
     */
    private static Map<Integer, RecordingConsumer.Seen> framesByPicture(RecordingConsumer consumer, ReferenceClip clip,
                                                                        PacedFeed feed) {
        Map<Integer, RecordingConsumer.Seen> frames = new HashMap<>();
        for (RecordingConsumer.Seen seen : consumer.seen()) {
            int picture = clip.pictureOf(seen.digest());
            assertThat(picture).as("frame %d decodes to a clip picture", seen.frameNumber()).isNotNegative();
            assertThat(seen.clock()).isEqualTo(CaptureClock.Source.RTCP);
            assertThat(seen.captureTs()).as("capture_ts of picture %d", picture)
                    .isCloseTo(feed.captureTs(picture), within(1L));
            frames.putIfAbsent(picture, seen);
        }
        return frames;
    }

    private static int lastPicture(RecordingConsumer consumer, ReferenceClip clip) {
        List<RecordingConsumer.Seen> seen = consumer.seen();
        return seen.isEmpty() ? -1 : clip.pictureOf(seen.get(seen.size() - 1).digest());
    }
}
