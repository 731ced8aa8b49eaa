package io.visionfleet.ingest.consumer;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A consumer of one stream that is slower than the stream, as a model inference can be, paced by the stream rather
 * than by the clock: processing a frame lasts until {@code framesPerProcessing} further frames have arrived. However
 * busy the machine, every processing outlasts that many arrivals. It records every frame it processed.
 */
final class SlowConsumer extends FrameConsumer<StreamSession> {
    /**
     * One processed frame: its number, the frames that had arrived when its processing ended, the sessions of the
     * stream that had ended when its processing began, when that was ({@link System#nanoTime()}) and how old the
     * frame was then by its capture time.
     */
    record Processed(long frameNumber, long framesInAfter, long sessionsEnded, long startNanos, long ageMs) {
    }

    /** Longer than any processing waits for its frames to arrive. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int framesPerProcessing;
    private final List<Processed> processed = new CopyOnWriteArrayList<>();
    private volatile StreamState state;
    private volatile boolean closing;

    SlowConsumer(String relayUrl, double maxFps, int framesPerProcessing) {
        super(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), maxFps));
        this.framesPerProcessing = framesPerProcessing;
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        state = stream;
        return StreamSession.NONE;
    }

    @Override
    protected void onFrame(StreamSession session, DecodedFrame frame) {
        long start = System.nanoTime();
        long ageMs = System.currentTimeMillis() - frame.meta().captureTs();
        long sessionsEnded = state.reconnects();
        long until = frame.meta().frameNumber() + framesPerProcessing;
        while (state.framesIn() < until && !closing && System.nanoTime() - start < MAX_WAIT_NANOS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the processing being modelled
        }
        processed.add(new Processed(frame.meta().frameNumber(), state.framesIn(), sessionsEnded, start, ageMs));
    }

    List<Processed> processed() {
        return List.copyOf(processed);
    }

    @Override
    public void close() {
        closing = true;
        super.close();
    }
}
