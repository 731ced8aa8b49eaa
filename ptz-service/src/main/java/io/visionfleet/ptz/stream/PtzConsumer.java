package io.visionfleet.ptz.stream;

import io.visionfleet.common.consumer.ConsumerConfig;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.ptz.appearance.RelayPictures;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Decodes the streams of PTZ cameras that are not simulated, for appearance matching on handoff: each picture goes,
 * downscaled, into its camera's ring, where the tracking results that arrive 100-300 ms later find it by capture time.
 * Which streams are pulled is {@code fleet.consumer.*} (docs/ptz.md). It keeps nothing per stream: the rings
 * belong to the cameras, which outlive the streams' sessions.
 */
@Singleton
public class PtzConsumer extends FrameConsumer<StreamSession> {
    private final RelayPictures pictures;

    @Inject
    public PtzConsumer(ConsumerConfig config, RelayPictures pictures) {
        this(ConsumerSettings.of(config), pictures);
    }

    public PtzConsumer(ConsumerSettings settings, RelayPictures pictures) {
        super(settings);
        this.pictures = pictures;
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        return StreamSession.NONE;
    }

    @Override
    protected void onFrame(StreamSession session, DecodedFrame frame) {
        pictures.offer(frame.meta().streamId(), frame.meta().captureTs(), frame.image());
    }
}
