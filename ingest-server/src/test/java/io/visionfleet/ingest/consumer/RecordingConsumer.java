package io.visionfleet.ingest.consumer;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.ingest.testing.ReferenceClip;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A consuming service as a test builds one outside CDI: it records the identity and checksum of every frame. */
public final class RecordingConsumer extends FrameConsumer<StreamSession> {
    /** One processed frame: what the consumer stamped on it, a checksum of its pixels, and when it was processed. */
    public record Seen(long frameNumber, long captureTs, long ptsUs, CaptureClock.Source clock, String digest,
                       long processedMs) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public RecordingConsumer(String relayUrl) {
        this(relayUrl, Duration.ofSeconds(2));
    }

    /** A consumer whose sessions end after {@code ioTimeout} without data. */
    public RecordingConsumer(String relayUrl, Duration ioTimeout) {
        super(new ConsumerSettings(relayUrl, ioTimeout, 0));
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        return StreamSession.NONE;
    }

    @Override
    protected void onFrame(StreamSession session, DecodedFrame frame) {
        seen.add(new Seen(frame.meta().frameNumber(), frame.meta().captureTs(), frame.meta().ptsUs(),
                frame.meta().clock(), ReferenceClip.digest(frame.image()), System.currentTimeMillis()));
    }

    public List<Seen> seen() {
        return seen;
    }
}
