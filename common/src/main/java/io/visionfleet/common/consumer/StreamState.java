package io.visionfleet.common.consumer;

import io.visionfleet.common.messages.FrameStats;
import io.visionfleet.common.rtsp.CaptureClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one stream's worker is doing and has done, read by health, metrics, logs and {@code GET /streams}.
 * Written by the worker threads only; every field is safe to read from any thread.
 */
public final class StreamState {
    /** Where the worker is in its connect / read / back off cycle. */
    public enum Phase {
        CONNECTING, STREAMING, BACKOFF, STOPPED
    }

    private static final int RATE_WINDOW_SECONDS = 5;

    private final String streamId;
    private final String url;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesProcessed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong skippedForCapacity = new AtomicLong();
    private final AtomicLong notDecoded = new AtomicLong();
    private final AtomicLong processingErrors = new AtomicLong();
    private final RateMeter rateIn = new RateMeter(RATE_WINDOW_SECONDS);
    private final RateMeter rateProcessed = new RateMeter(RATE_WINDOW_SECONDS);
    private volatile Phase phase = Phase.CONNECTING;
    private volatile long lastFrameAtMs = -1;
    private volatile CaptureClock.Source clock;
    private volatile String lastError;

    public StreamState(String streamId, String url) {
        this.streamId = streamId;
        this.url = url;
    }

    public String streamId() {
        return streamId;
    }

    public String url() {
        return url;
    }

    public Phase phase() {
        return phase;
    }

    public boolean connected() {
        return phase == Phase.STREAMING;
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long framesIn() {
        return framesIn.get();
    }

    public long framesProcessed() {
        return framesProcessed.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Of {@link #dropped}, the frames skipped because processing was busy, not because of the rate cap. */
    public long skippedForCapacity() {
        return skippedForCapacity.get();
    }

    /** Of {@link #dropped}, the pictures left undecoded: none referred to them and processing was behind. */
    public long notDecoded() {
        return notDecoded.get();
    }

    public long processingErrors() {
        return processingErrors.get();
    }

    public double fpsIn(long nowMs) {
        return rateIn.rate(nowMs);
    }

    public double fpsProcessed(long nowMs) {
        return rateProcessed.rate(nowMs);
    }

    /** Milliseconds since the last frame arrived, or -1 before the first. */
    public long lastFrameAgeMs(long nowMs) {
        long at = lastFrameAtMs;
        return at < 0 ? -1 : Math.max(0, nowMs - at);
    }

    /** Capture-time source of the latest frame, null before the first. */
    public CaptureClock.Source clock() {
        return clock;
    }

    /** Why the last session failed or ended, null while none has. */
    public String lastError() {
        return lastError;
    }

    /**
     * @param processingMs mean milliseconds to handle one frame
     * @param load         the consumer's processing load ({@link RtspConsumer#load()}), null where not measured
     */
    FrameStats snapshot(long nowMs, double processingMs, Double load) {
        return new FrameStats(streamId, url, connected(), lastFrameAgeMs(nowMs), reconnects(), fpsIn(nowMs),
                fpsProcessed(nowMs), framesIn(), framesProcessed(), dropped(), skippedForCapacity(),
                Math.round(processingMs * 100) / 100.0, load == null ? null : Math.round(load * 100) / 100.0);
    }

    /** Returns the frame number of the arriving frame. */
    long frameIn(long nowMs, CaptureClock.Source source) {
        lastFrameAtMs = nowMs;
        clock = source;
        rateIn.mark(nowMs);
        return framesIn.incrementAndGet();
    }

    void frameProcessed(long nowMs) {
        rateProcessed.mark(nowMs);
        framesProcessed.incrementAndGet();
    }

    void frameDropped(boolean forCapacity) {
        dropped.incrementAndGet();
        if (forCapacity) {
            skippedForCapacity.incrementAndGet();
        }
    }

    /** A picture arrived and was dropped without decoding (see {@link #notDecoded()}). */
    void pictureNotDecoded(long nowMs, boolean forCapacity) {
        frameIn(nowMs, clock);
        frameDropped(forCapacity);
        notDecoded.incrementAndGet();
    }

    void processingFailed() {
        processingErrors.incrementAndGet();
    }

    void phase(Phase phase) {
        this.phase = phase;
    }

    void sessionEnded(String reason) {
        lastError = reason;
        reconnects.incrementAndGet();
    }
}
