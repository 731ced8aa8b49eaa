package io.visionfleet.common.consumer;

import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.rtsp.DecodingSession;
import io.visionfleet.common.rtsp.PictureSession;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.util.List;

/**
 * Decoded mode: the grab thread decodes every picture and publishes a copy to a latest-frame handoff; the
 * processing thread takes the newest one, at most {@code maxFps} times a second. Processing slower than the
 * stream drops stale frames (counted) instead of queueing them, so it never adds latency.
 */
final class FrameWorker<S extends StreamSession> extends StreamWorker<S, PictureSession> {
    /** How long the processing thread waits for a frame before it checks for a stop again. */
    private static final long TAKE_TIMEOUT_MS = 500;

    private final FrameConsumer<S> frameConsumer;
    private final List<DecodedFrame> slots = List.of(new DecodedFrame(), new DecodedFrame(), new DecodedFrame());
    private final LatestFrameHandoff<DecodedFrame> handoff = new LatestFrameHandoff<>(slots);
    private final Thread processThread;
    private final long minIntervalNanos;

    FrameWorker(FrameConsumer<S> consumer, StreamState state, ConsumerSettings settings) {
        super(consumer, state, settings);
        this.frameConsumer = consumer;
        this.minIntervalNanos = settings.maxFps() > 0 ? (long) (1e9 / settings.maxFps()) : 0;
        this.processThread = DaemonThreads.thread("rtsp-process-" + state.streamId(), this::process);
    }

    @Override
    void start() {
        processThread.start();
        super.start();
    }

    @Override
    void requestStop() {
        super.requestStop();
        handoff.close();
    }

    @Override
    boolean awaitStopped(long deadlineNanos) throws InterruptedException {
        return super.awaitStopped(deadlineNanos) && join(processThread, deadlineNanos);
    }

    @Override
    boolean alive() {
        return super.alive() && (stopRequested() || processThread.isAlive());
    }

    @Override
    PictureSession connect(String url) throws IOException {
        return DecodingSession.open(url, settings.ioTimeout());
    }

    @Override
    String read(PictureSession session) throws IOException {
        boolean first = true;
        while (!stopRequested()) {
            try (PointerScope scope = new PointerScope()) {
                Frame frame = session.grabImage();
                long decodedTs = System.currentTimeMillis();
                if (frame == null) {
                    return endOfStream();
                }
                if (frame.image == null) {
                    continue;
                }
                FrameMeta meta = identify(session, frame.timestamp, frame.keyFrame, first);
                DecodedFrame slot = handoff.acquire();
                slot.fill(frame, meta, decodedTs);
                boolean dropped = handoff.publish(slot, first); // the picture the consumer joined at is processed
                first = false;
                if (dropped) {
                    state.frameDropped();
                }
            }
        }
        return "stopped";
    }

    @Override
    void finish() throws InterruptedException {
        handoff.close();
        processThread.join();
        slots.forEach(DecodedFrame::close);
    }

    private void process() {
        long lastStart = 0;
        try {
            while (!stopRequested()) {
                if (minIntervalNanos > 0 && lastStart != 0) {
                    long waitNanos = lastStart + minIntervalNanos - System.nanoTime();
                    if (waitNanos > 0 && !pause(waitNanos / 1_000_000)) {
                        break;
                    }
                }
                DecodedFrame frame = handoff.take(TAKE_TIMEOUT_MS);
                if (frame == null) {
                    continue;
                }
                lastStart = System.nanoTime();
                try {
                    // the session opens outside the frame's scope, which frees what the frame's handling allocated
                    sessions.use(s -> {
                        try (PointerScope scope = new PointerScope()) {
                            frameConsumer.onFrame(s, frame);
                        }
                    });
                    state.frameProcessed(System.currentTimeMillis());
                } catch (Exception e) {
                    handlingFailed(e);
                } finally {
                    handoff.release(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
