package io.visionfleet.ingest.consumer;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.relay.RelayStream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a clip into a relay stream at real-time pace, as a drone would, stamping picture {@code i} (counted
 * over loops) with capture time {@code startMs + i * 1000 / fps + jitter(i)}. The few milliseconds of jitter make
 * frame intervals uneven, like a phone's, so a capture time that is off by a whole frame or by a rounding step
 * cannot match another picture by accident.
 */
final class PacedFeed implements AutoCloseable {
    private final RelayStream stream;
    private final ReferenceClip clip;
    private final long pictures;
    private final long startMs = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;

    /** Publishes {@code pictures} pictures, looping over the clip when it has fewer. */
    PacedFeed(RelayStream stream, ReferenceClip clip, long pictures) {
        this.stream = stream;
        this.clip = clip;
        this.pictures = pictures;
        this.thread = new Thread(this::run, "paced-feed-" + stream.id());
        thread.setDaemon(true);
        thread.start();
    }

    long captureMs(long picture) {
        return startMs + picture * 1000 / clip.fps() + (picture * 7) % 5;
    }

    long published() {
        return published;
    }

    private void run() {
        for (long i = 0; running && i < pictures; i++) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos(captureMs(i) - startMs);
            for (long wait; running && (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait); // pacing: a camera produces pictures over time
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
