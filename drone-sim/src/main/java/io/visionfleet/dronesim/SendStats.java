package io.visionfleet.dronesim;

import org.jboss.logging.Logger;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the drone sent, and the periodic log line with rates over the last interval. */
final class SendStats {
    private static final Logger LOG = Logger.getLogger(SendStats.class);

    private final LongAdder frames = new LongAdder();
    private final LongAdder videoBytes = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder samples = new LongAdder();
    private final LongAdder samplesDropped = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();

    private long lastNanos = System.nanoTime();
    private long lastFrames;
    private long lastBytes;
    private long lastSamples;

    void frameSent(int bytes, int messageCount) {
        frames.increment();
        videoBytes.add(bytes);
        messages.add(messageCount);
    }

    /** A frame not sent: no connection, or waiting for an IDR after (re)connecting. */
    void frameDropped() {
        framesDropped.increment();
    }

    void sampleSent() {
        samples.increment();
    }

    void sampleDropped() {
        samplesDropped.increment();
    }

    void connectFailed() {
        connectFailures.increment();
    }

    long connectFailures() {
        return connectFailures.sum();
    }

    long framesSent() {
        return frames.sum();
    }

    long samplesSent() {
        return samples.sum();
    }

    /** Starts the first rate interval now, when streaming begins, so time spent connecting does not dilute it. */
    synchronized void startInterval() {
        lastNanos = System.nanoTime();
        lastFrames = frames.sum();
        lastBytes = videoBytes.sum();
        lastSamples = samples.sum();
    }

    /** Logs rates since the previous report. */
    synchronized void report(String stream) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long f = frames.sum();
        long b = videoBytes.sum();
        long s = samples.sum();
        LOG.infof("%s: video %d frames sent, %.1f fps, %.0f kbit/s, %d dropped | telemetry %d sent, %.1f Hz, %d dropped"
                        + " | %d failed connects",
                stream, f, (f - lastFrames) / seconds, (b - lastBytes) * 8 / seconds / 1000, framesDropped.sum(),
                s, (s - lastSamples) / seconds, samplesDropped.sum(), connectFailures.sum());
        lastNanos = now;
        lastFrames = f;
        lastBytes = b;
        lastSamples = s;
    }
}
