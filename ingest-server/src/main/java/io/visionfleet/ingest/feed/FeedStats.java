package io.visionfleet.ingest.feed;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What went wrong while feeding one stream, and what its publisher said about the video. Written by the feed's
 * single producer thread, read by status requests at any time.
 */
public final class FeedStats {
    private final String feed;
    private final AtomicLong droppedNals = new AtomicLong();
    private final AtomicLong skippedBytes = new AtomicLong();
    private final AtomicLong droppedAccessUnits = new AtomicLong();
    private final AtomicLong refusedCaptureTimes = new AtomicLong();
    private final AtomicLong rejectedMessages = new AtomicLong();
    private final AtomicLong malformedPackets = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile JsonNode videoConfig;
    private volatile String lastError;

    /** @param feed what feeds the stream: {@code websocket}, {@code rtsp} or {@code file} */
    public FeedStats(String feed) {
        this.feed = feed;
    }

    public String feed() {
        return feed;
    }

    /** Totals from the splitter, which counts NAL units it dropped and bytes outside any NAL unit. */
    public void splitterTotals(long droppedNals, long skippedBytes) {
        this.droppedNals.set(droppedNals);
        this.skippedBytes.set(skippedBytes);
    }

    /** Total from the assembler: access units dropped for exceeding its limits. */
    public void droppedAccessUnits(long total) {
        droppedAccessUnits.set(total);
    }

    public void refusedCaptureTime(String reason) {
        refusedCaptureTimes.incrementAndGet();
        lastError = reason;
    }

    public void rejectedMessage(String reason) {
        rejectedMessages.incrementAndGet();
        lastError = reason;
    }

    public void malformedPacket(String reason) {
        malformedPackets.incrementAndGet();
        lastError = reason;
    }

    public void reconnect(String reason) {
        reconnects.incrementAndGet();
        lastError = reason;
    }

    public void videoConfig(JsonNode config) {
        videoConfig = config;
    }

    public JsonNode videoConfig() {
        return videoConfig;
    }

    public Errors errors() {
        return new Errors(droppedNals.get(), skippedBytes.get(), droppedAccessUnits.get(), rejectedMessages.get(),
                refusedCaptureTimes.get(), malformedPackets.get(), reconnects.get(), lastError);
    }

    /**
     * Error counts of a feed.
     *
     * @param droppedNals      NAL units dropped: forbidden bit, reserved type or over the size limit
     * @param skippedBytes     bytes outside any NAL unit (garbage before a start code)
     * @param droppedAccessUnits pictures dropped as over the size or NAL unit limit
     * @param rejectedMessages control messages refused (invalid JSON, unknown type, over the size limit)
     * @param refusedCaptureTimes sender capture times refused (not increasing, too far ahead or too old)
     * @param malformedPackets demuxed packets that did not parse as H.264 (pull sources)
     * @param reconnects       times a pull source lost its input and reconnected
     * @param lastError        the latest of these, as text
     */
    public record Errors(long droppedNals, long skippedBytes, long droppedAccessUnits, long rejectedMessages,
                         long refusedCaptureTimes, long malformedPackets, long reconnects, String lastError) {
    }
}
