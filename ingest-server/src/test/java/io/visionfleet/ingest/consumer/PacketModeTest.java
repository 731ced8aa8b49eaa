package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Packet mode against the real relay: every access unit arrives, in order, with the capture time it was published
 * with, and the lent packets can be handed to a recorder (storage's path) to remux a decodable MP4.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PacketModeTest {
    private static final int GOP = 15;

    @Inject
    TestRelay relay;

    @Test
    void everyAccessUnitArrivesInOrderWithItsCaptureTimeAndRemuxesToADecodableFile(@TempDir Path dir) throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, GOP, 90);
        Path mp4 = dir.resolve("remuxed.mp4");
        List<RemuxingConsumer.Seen> seen;
        int recorded;
        try (TestRelay.FedStream fed = relay.feed("packets", clip)) {
            PacedFeed feed = fed.feed();
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.published() >= 20); // join mid-GOP
            RemuxingConsumer consumer = new RemuxingConsumer(relay.url(""), mp4, true);
            try {
                consumer.follow("packets");
                await().atMost(Duration.ofSeconds(15)).until(() -> consumer.seen().size() >= 90);
            } finally {
                consumer.close();
            }
            seen = List.copyOf(consumer.seen());
            recorded = consumer.recorded();

            long first = firstPictureOf(feed, seen.get(0).captureTs());
            assertThat(first % GOP).as("the relay starts a reader at an IDR").isZero();
            assertThat(seen.get(0).keyFrame()).isTrue();
            for (int i = 0; i < seen.size(); i++) {
                long picture = first + i;
                assertThat(seen.get(i).captureTs()).as("packet %d", i).isEqualTo(feed.captureTs(picture));
                assertThat(seen.get(i).keyFrame()).as("packet %d key frame", i).isEqualTo(picture % GOP == 0);
                assertThat(seen.get(i).frameNumber()).isEqualTo(i + 1);
            }
        }

        List<String> digests = ReferenceClip.digests(mp4);
        assertThat(digests).hasSize(recorded);
        FrameRuns.assertLoopOfClip(digests, clip.digests(), GOP);
    }

    /** The picture the feed stamped with exactly this capture time. */
    private static long firstPictureOf(PacedFeed feed, long captureTs) {
        for (long picture = 0; picture < feed.published(); picture++) {
            if (feed.captureTs(picture) == captureTs) {
                return picture;
            }
        }
        throw new AssertionError("no published picture has capture time " + captureTs);
    }
}
