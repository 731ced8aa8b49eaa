package io.visionfleet.common.consumer;

/**
 * Decoded mode: {@link #onFrame} receives the newest decoded picture of each stream on that stream's processing
 * thread, at most {@code maxFps} times a second. Pictures that arrive while it is busy replace each other; only
 * the newest is handed over and the others count as dropped.
 */
public abstract class FrameConsumer<S extends StreamSession> extends RtspConsumer<S> {
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
    StreamWorker<S, ?> newWorker(StreamState state) {
        return new FrameWorker<>(this, state, settings());
    }
}
