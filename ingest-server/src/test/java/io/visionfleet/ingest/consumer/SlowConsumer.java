package io.visionfleet.ingest.consumer;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.ingest.testing.ReferenceClip;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A consumer that is slower than its streams, as a model inference can be, paced by the stream rather than by the
 * clock: processing a frame lasts until {@code framesPerProcessing} further frames of its stream have arrived.
 * However busy the machine, every processing outlasts that many arrivals. It records every frame it processed.
 */
final class SlowConsumer extends FrameConsumer<StreamSession> {
    /**
     * One processed frame: its stream and number, the frames that had arrived when its processing ended, the sessions
     * of the stream that had ended when its processing began, when that was ({@link System#nanoTime()}) and how old
     * the frame was then by its capture time.
     */
    record Processed(String streamId, long frameNumber, long framesInAfter, long sessionsEnded, long startNanos,
                     long ageMs, String digest) {
    }

    /** Longer than any processing waits for its frames to arrive. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int framesPerProcessing;
    private final List<Processed> processed = new CopyOnWriteArrayList<>();
    /** By stream id: kept past unfollowing, since a frame in progress while the consumer closes still counts. */
    private final Map<String, StreamState> states = new ConcurrentHashMap<>();
    private volatile boolean closing;

    SlowConsumer(String relayUrl, double maxFps, int framesPerProcessing) {
        this(relayUrl, maxFps, framesPerProcessing, 0);
    }

    /** @param workers the processing threads its streams share, 0 for one per core */
    SlowConsumer(String relayUrl, double maxFps, int framesPerProcessing, int workers) {
        super(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), maxFps, Duration.ZERO, Optional.empty(),
                ConsumerSettings.DEFAULT_MAX_FOLLOWED, workers));
        this.framesPerProcessing = framesPerProcessing;
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        states.put(stream.streamId(), stream);
        return StreamSession.NONE;
    }

    @Override
    protected void onFrame(StreamSession session, DecodedFrame frame) {
        StreamState state = states.get(frame.meta().streamId());
        long start = System.nanoTime();
        long ageMs = System.currentTimeMillis() - frame.meta().captureTs();
        long sessionsEnded = state.reconnects();
        long until = frame.meta().frameNumber() + framesPerProcessing;
        while (state.framesIn() < until && !closing && System.nanoTime() - start < MAX_WAIT_NANOS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the processing being modelled
        }
        processed.add(new Processed(state.streamId(), frame.meta().frameNumber(), state.framesIn(), sessionsEnded, start,
                ageMs, ReferenceClip.digest(frame.image())));
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
