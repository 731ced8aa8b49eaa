package io.visionfleet.common.testing;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;

import java.time.Duration;

/** A decoded-mode test consumer of a relay with the default I/O timeout and no per-stream state: only onFrame is left. */
public abstract class SessionlessConsumer extends FrameConsumer<StreamSession> {
    protected SessionlessConsumer(String relayUrl) {
        this(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), 0));
    }

    protected SessionlessConsumer(ConsumerSettings settings) {
        super(settings);
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        return StreamSession.NONE;
    }
}
