package io.visionfleet.ingest.consumer;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A consumer whose processing takes a fixed time per frame, as a model inference would. It records how old each
 * frame was (by its capture time) when processing began.
 */
final class TimedConsumer extends FrameConsumer<StreamSession> {
    private final long workNanos;
    private final List<Long> ageAtStartMs = new CopyOnWriteArrayList<>();

    TimedConsumer(String relayUrl, Duration work, double maxFps) {
        super(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), maxFps));
        this.workNanos = work.toNanos();
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        return StreamSession.NONE;
    }

    @Override
    protected void onFrame(StreamSession session, DecodedFrame frame) {
        ageAtStartMs.add(System.currentTimeMillis() - frame.meta().captureTs());
        long end = System.nanoTime() + workNanos;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // the processing time being modelled
        }
    }

    List<Long> ageAtStartMs() {
        return ageAtStartMs;
    }
}
