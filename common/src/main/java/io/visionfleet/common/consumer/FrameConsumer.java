package io.visionfleet.common.consumer;

import java.util.List;
import java.util.Optional;

/**
 * Decoded mode: {@link #onFrame} receives the newest decoded picture of each stream, at most {@code maxFps} times a
 * second, on one of the consumer's processing threads ({@code workers}, shared by all its streams and taken in turn,
 * never two at once for one stream). Pictures that arrive while the stream waits replace each other; only the newest
 * is handed over and the others count as dropped.
 */
public abstract class FrameConsumer<S extends StreamSession> extends RtspConsumer<S> {
    private volatile ProcessingPool pool;

    protected FrameConsumer(ConsumerSettings settings) {
        super(settings);
    }

    /**
     * Handles one picture of the stream whose session is {@code session}. The frame and its native buffer are valid only during the call (the slot is reused
     * afterwards): clone what must outlive it. The call runs inside a {@code PointerScope}, so native objects
     * it allocates are freed on return unless retained. An exception is counted and logged; the stream goes on.
     */
    protected abstract void onFrame(S session, DecodedFrame frame) throws Exception;

    @Override
    synchronized StreamWorker<S, ?> newWorker(StreamState state) {
        if (pool == null) { // on the first stream: a consumer that follows none starts no thread
            pool = new ProcessingPool("rtsp-process", settings().workers());
        }
        return new FrameWorker<>(this, state, settings(), pool);
    }

    @Override
    public Optional<Double> load() {
        ProcessingPool pool = this.pool;
        if (pool == null) {
            return Optional.of(0.0);
        }
        List<ProcessingPool.Lane> lanes = workers().stream().map(w -> ((FrameWorker<?>) w).lane()).toList();
        return Optional.of(pool.load(lanes));
    }

    @Override
    public boolean threadsAlive() {
        ProcessingPool pool = this.pool;
        return super.threadsAlive() && (pool == null || pool.alive());
    }

    /** Stops the streams, then the processing threads, which by then have nothing left to run. */
    @Override
    public void close() {
        super.close();
        synchronized (this) {
            if (pool != null) {
                pool.close();
            }
        }
    }
}
