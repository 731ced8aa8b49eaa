package io.visionfleet.ingest.feed;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.relay.TestRelayConfig;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** When the feed hands a sender's picture to the relay: at once with its announced length, else when the next begins. */
@Tag("quick")
class AnnexBFeedTest {
    private static final List<AccessUnit> CLIP = SyntheticVideo.accessUnits(SyntheticVideo.h264(64, 64, 30, 10, 3));

    private final RecordingStream stream = new RecordingStream();
    private final AnnexBFeed feed = new AnnexBFeed(stream, new FeedStats("test"), new Config());
    private final long now = System.currentTimeMillis();

    @Test
    void aPictureWithItsAnnouncedLengthIsRelayedAsSoonAsItsLastByteArrives() {
        byte[] idr = ReferenceClip.annexB(CLIP.get(0));
        feed.captureTime(now - 100, idr.length);
        int third = idr.length / 3;
        feed.accept(Arrays.copyOfRange(idr, 0, third), now);
        feed.accept(Arrays.copyOfRange(idr, third, 2 * third), now);
        assertThat(stream.published).as("not before its last byte").isEmpty();
        feed.accept(Arrays.copyOfRange(idr, 2 * third, idr.length), now);

        assertThat(stream.published).as("its last byte completes it: nothing else needs to arrive").hasSize(1);
        assertThat(stream.published.get(0).nalUnits()).containsExactlyElementsOf(CLIP.get(0).nalUnits());
        assertThat(stream.published.get(0).captureTs()).isEqualTo(now - 100);
    }

    @Test
    void withoutALengthAPictureEndsWhenTheNextIsAnnouncedAsBefore() {
        feed.captureTime(now - 100, 0);
        feed.accept(ReferenceClip.annexB(CLIP.get(0)), now);
        assertThat(stream.published).as("its last NAL unit may go on in the next message").isEmpty();
        feed.captureTime(now - 67, 0);
        assertThat(stream.published).hasSize(1);
        feed.accept(ReferenceClip.annexB(CLIP.get(1)), now);
        feed.finish();
        assertThat(stream.published).extracting(AccessUnit::captureTs).containsExactly(now - 100, now - 67);
    }

    @Test
    void bytesBeyondTheAnnouncedLengthStartAPictureThatEndsTheOldWay() {
        byte[] idr = ReferenceClip.annexB(CLIP.get(0));
        byte[] next = ReferenceClip.annexB(CLIP.get(1));
        byte[] both = Arrays.copyOf(idr, idr.length + next.length);
        System.arraycopy(next, 0, both, idr.length, next.length);
        feed.captureTime(now - 100, idr.length);
        feed.accept(both, now);
        assertThat(stream.published).hasSize(1);
        assertThat(stream.published.get(0).nalUnits()).containsExactlyElementsOf(CLIP.get(0).nalUnits());

        feed.captureTime(now - 33, ReferenceClip.annexB(CLIP.get(2)).length);
        assertThat(stream.published).hasSize(2);
        assertThat(stream.published.get(1).nalUnits()).containsExactlyElementsOf(CLIP.get(1).nalUnits());
        feed.accept(ReferenceClip.annexB(CLIP.get(2)), now);
        assertThat(stream.published).hasSize(3);
    }

    /** A relay stream that only records what it is given. */
    private static final class RecordingStream extends RelayStream {
        final List<AccessUnit> published = new CopyOnWriteArrayList<>();

        RecordingStream() {
            super("feed-test", "test", TestRelayConfig.defaults());
        }

        @Override
        public void publish(AccessUnit au) {
            published.add(au);
        }
    }

    private static final class Config implements IngestConfig {
        @Override
        public int maxNalBytes() {
            return 1 << 20;
        }

        @Override
        public int maxAccessUnitBytes() {
            return 1 << 20;
        }

        @Override
        public Duration maxCaptureLead() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration maxCaptureAge() {
            return Duration.ofSeconds(30);
        }

        @Override
        public String defaultStreamId() {
            return "drone";
        }
    }
}
