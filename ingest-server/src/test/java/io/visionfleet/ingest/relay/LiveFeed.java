package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a clip into a relay stream in a loop at real-time pace, as a drone would: picture {@code i} (counted
 * over all loops) is captured at {@code startMs + i * 1000 / fps} and published at that moment.
 */
final class LiveFeed implements AutoCloseable {
    private final RelayStream stream;
    private final RelayClip clip;
    private final long startMs = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;

    LiveFeed(RelayStream stream, RelayClip clip) {
        this.stream = stream;
        this.clip = clip;
        this.thread = new Thread(this::run, "live-feed-" + stream.id());
        thread.setDaemon(true);
        thread.start();
    }

    long captureMs(long picture) {
        return startMs + picture * 1000 / clip.fps();
    }

    /** The picture (over all loops) captured at {@code captureMs}. */
    long pictureAt(long captureMs) {
        return Math.round((captureMs - startMs) * clip.fps() / 1000.0);
    }

    long published() {
        return published;
    }

    private void run() {
        for (long i = 0; running; i++) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos(i * 1000 / clip.fps());
            for (long wait; running && (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait); // pacing, as a camera produces pictures over time
            }
            AccessUnit au = clip.accessUnits().get((int) (i % clip.frames()));
            stream.publish(au.withCaptureTs(captureMs(i)));
            published = i + 1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
