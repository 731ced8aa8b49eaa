package io.visionfleet.ingest.fuzz;

import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The stream that must not notice the fuzzing: a WebSocket publisher at 30 fps and a real RTSP reader decoding it.
 * Its frame rate is what the reader decoded over a span of time, so a stall shows even when the publisher catches up.
 */
final class HealthyStream implements AutoCloseable {
    static final int FPS = 30;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final WsClient publisher;
    private final PacedFeed feed;
    private final RtspReader reader;

    /** A moment in the reader's life: how many pictures it had decoded, and when. */
    record Mark(int pictures, long nanos) {
    }

    private HealthyStream(WsClient publisher, PacedFeed feed, RtspReader reader) {
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
        return new HealthyStream(publisher, feed, reader);
    }

    Mark mark() {
        return new Mark(reader.count(), System.nanoTime());
    }

    /** Pictures decoded per second since {@code since}. */
    double fpsSince(Mark since) {
        Mark now = mark();
        return (now.pictures() - since.pictures()) * 1e9 / (now.nanos() - since.nanos());
    }

    /** The frame rate over the next {@code span}, during which the stream must stay up. */
    double measureFps(Duration span) {
        Mark start = mark();
        await().during(span).atMost(span.plusSeconds(5)).until(() -> !failed());
        return fpsSince(start);
    }

    boolean failed() {
        return reader.ended() || reader.failure() != null || !publisher.isOpen();
    }

    @Override
    public void close() throws Exception {
        reader.close();
        feed.close();
        publisher.close();
    }
}
