package io.visionfleet.ingest.fuzz;

import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream that must not notice the fuzzing: a WebSocket publisher at 30 fps and a real RTSP reader decoding it.
 * Unharmed, it loses no picture and goes on; its frame rate over the run is the machine's load's as much as the
 * server's, and is only reported.
 */
final class HealthyStream implements AutoCloseable {
    static final int FPS = 30;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final ReferenceClip clip;
    private final WsClient publisher;
    private final PacedFeed feed;
    private final RtspReader reader;

    /** A moment in the reader's life: how many pictures it had decoded, and when. */
    record Mark(int pictures, long nanos) {
    }

    private HealthyStream(ReferenceClip clip, WsClient publisher, PacedFeed feed, RtspReader reader) {
        this.clip = clip;
        this.publisher = publisher;
        this.feed = feed;
        this.reader = reader;
    }

    static HealthyStream start(TestRelay relay, String id) throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, FPS, FPS, 2 * FPS);
        WsClient publisher = WsClient.connect("/ws/video/" + id);
        PacedFeed feed = PacedFeed.over(publisher, clip);
        RtspReader reader = RtspReader.openWhenServed(relay.url(id), WITHIN);
        reader.awaitPictures(FPS, WITHIN);
        return new HealthyStream(clip, publisher, feed, reader);
    }

    Mark mark() {
        return new Mark(reader.count(), System.nanoTime());
    }

    /** Pictures decoded per second since {@code since}. */
    double fpsSince(Mark since) {
        Mark now = mark();
        return (now.pictures() - since.pictures()) * 1e9 / (now.nanos() - since.nanos());
    }

    /**
     * The stream came through unharmed: it is still up, its reader decodes on, and every picture it decoded is the
     * clip's next one, none lost, repeated or altered.
     */
    void assertUnharmed() {
        assertThat(failed()).as("the healthy stream failed").isFalse();
        reader.awaitPictures(reader.count() + FPS, WITHIN);
        FrameRuns.assertLoopOfClip(reader.digests(), clip.digests(), clip.gopFrames());
    }

    private boolean failed() {
        return reader.ended() || reader.failure() != null || !publisher.isOpen();
    }

    @Override
    public void close() throws Exception {
        reader.close();
        feed.close();
        publisher.close();
    }
}
