package io.visionfleet.ingest.testing;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.sim.publish.AnnexBSender;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Plays a clip at real-time pace, as a drone does: picture {@code i} (counted over loops) is captured at
 * {@code startMs + i * 1000 / fps + jitter(i)} and handed on at that moment. The few milliseconds of jitter make
 * frame intervals uneven, like a phone's, so a capture time that is off by a whole frame or by a rounding step
 * cannot match another picture by accident.
 */
public final class PacedFeed implements AutoCloseable {
    private final ReferenceClip clip;
    private final long pictures;
    private final Consumer<AccessUnit> sink;
    private final long startMs = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;

    private PacedFeed(String name, ReferenceClip clip, long pictures, Consumer<AccessUnit> sink) {
        this.clip = clip;
        this.pictures = pictures;
        this.sink = sink;
        this.thread = new Thread(this::run, "paced-feed-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Publishes {@code pictures} pictures into a relay stream, looping over the clip when it has fewer. */
    public static PacedFeed into(RelayStream stream, ReferenceClip clip, long pictures) {
        return new PacedFeed(stream.id(), clip, pictures, stream::publish);
    }

    /** Sends the clip over and over on a video socket, one access unit per message; the server stamps capture times. */
    public static PacedFeed over(WsClient socket, ReferenceClip clip) {
        return new PacedFeed("websocket", clip, Long.MAX_VALUE, au -> socket.sendBinary(ReferenceClip.annexB(au)));
    }

    /**
     * Sends the clip over and over on a video socket as drone-sim does: each access unit after an {@code access_unit}
     * message with its capture time and length.
     */
    public static PacedFeed announcedOver(WsClient socket, ReferenceClip clip) {
        return announcedOver(socket, clip, Long.MAX_VALUE);
    }

    /** Like {@link #announcedOver(WsClient, ReferenceClip)}, but stops after {@code pictures} pictures. */
    public static PacedFeed announcedOver(WsClient socket, ReferenceClip clip, long pictures) {
        return new PacedFeed("websocket", clip, pictures, au -> {
            byte[] bytes = ReferenceClip.annexB(au);
            socket.sendText(AnnexBSender.accessUnitJson(au.captureTs(), bytes.length));
            socket.sendBinary(bytes);
        });
    }

    /** When picture {@code picture} (counted over loops) was captured. */
    public long captureTs(long picture) {
        return startMs + picture * 1000 / clip.fps() + (picture * 7) % 5;
    }

    /** The picture (counted over loops) captured at {@code captureTs}; the jitter is far below half a frame. */
    public long pictureAt(long captureTs) {
        return Math.round((captureTs - startMs) * clip.fps() / 1000.0);
    }

    public long published() {
        return published;
    }

    private void run() {
        for (long i = 0; running && i < pictures; i++) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos(captureTs(i) - startMs);
            for (long wait; running && (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait); // pacing: a camera produces pictures over time
            }
            AccessUnit au = clip.accessUnits().get((int) (i % clip.frames()));
            sink.accept(au.withCaptureTs(captureTs(i)));
            published = i + 1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
