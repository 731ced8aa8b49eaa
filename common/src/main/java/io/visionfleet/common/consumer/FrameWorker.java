package io.visionfleet.common.consumer;

import io.visionfleet.common.decode.VideoDecoder;
import io.visionfleet.common.rtsp.DecodingSession;
import io.visionfleet.common.rtsp.PictureSession;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.util.List;

/**
 * Decoded mode: the grab thread decodes every picture and publishes a reference to it to a latest-frame handoff; the
 * consumer's {@link ProcessingPool} takes the newest one, at most {@code maxFps} times a second. Processing slower
 * than the stream drops stale frames (counted, for capacity or for the cap) instead of queueing them, so it never
 * adds latency.
 */
final class FrameWorker<S extends StreamSession> extends StreamWorker<S, PictureSession> {
    private final FrameConsumer<S> frameConsumer;
    private final List<DecodedFrame> slots = List.of(new DecodedFrame(), new DecodedFrame(), new DecodedFrame());
    private final LatestFrameHandoff<DecodedFrame> handoff = new LatestFrameHandoff<>(slots);
    private final ProcessingPool.Lane lane;

    FrameWorker(FrameConsumer<S> consumer, StreamState state, ConsumerSettings settings, ProcessingPool pool) {
        super(consumer, state, settings);
        this.frameConsumer = consumer;
        long minIntervalNanos = settings.maxFps() > 0 ? (long) (1e9 / settings.maxFps()) : 0;
        this.lane = pool.lane(this::processNewest, minIntervalNanos, () -> state.fpsIn(System.currentTimeMillis()));
    }

    @Override
    void requestStop() {
        super.requestStop();
        handoff.close();
    }

    @Override
    double meanCostMs() {
        return lane.meanCostMs();
    }

    ProcessingPool.Lane lane() {
        return lane;
    }

    @Override
    PictureSession connect(String url) throws IOException {
        PictureSession session = DecodingSession.open(url, settings.ioTimeout());
        // while a picture waits untaken the next one would replace it: one that nothing refers to need not be decoded
        session.skipNonReference(handoff::hasPending,
                () -> state.pictureNotDecoded(System.currentTimeMillis(), !lane.capped()));
        return session;
    }

    @Override
    String read(PictureSession session) throws IOException {
        boolean first = true;
        while (!stopRequested()) {
            try (PointerScope scope = new PointerScope()) {
                AVFrame picture = session.grabPicture();
                long decodedTs = System.currentTimeMillis();
                if (picture == null) {
                    return endOfStream();
                }
                FrameMeta meta = identify(session, picture.pts(), VideoDecoder.keyFrame(picture), first);
                DecodedFrame slot = handoff.acquire();
                slot.fill(picture, meta, decodedTs);
                boolean dropped = handoff.publish(slot, first); // the picture the consumer joined at is processed
                first = false;
                boolean capped = lane.frameWaiting();
                if (dropped) {
                    state.frameDropped(!capped);
                }
            }
        }
        return "stopped";
    }

    @Override
    void finish() throws InterruptedException {
        handoff.close();
        lane.close();
        slots.forEach(DecodedFrame::close);
    }

    /** Runs on a pool thread: handles the newest waiting frame, if there still is one. */
    private void processNewest() {
        DecodedFrame frame;
        try {
            frame = handoff.take(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (frame == null) {
            return;
        }
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
}
