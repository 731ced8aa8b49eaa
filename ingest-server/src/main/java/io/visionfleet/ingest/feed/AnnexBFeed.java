package io.visionfleet.ingest.feed;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.ingest.relay.RelayStream;

/**
 * One publisher's H.264 or H.265 Annex-B byte stream into its relay stream: chunks with arbitrary boundaries become NAL
 * units, NAL units become access units, each access unit gets its capture time from the {@link CaptureTimeline}
 * (the sender's own when it sent one) and goes to the relay. Not thread-safe: one publisher feeds it in order.
 *
 * <p>The codec is H.264 until the publisher declares another or the stream's parameter sets prove it (an H.265 VPS,
 * SPS or PPS; see {@link VideoCodec#detect}), and it may change mid-stream the same way.
 *
 * <p>Without more, a picture is complete only when the next one begins (its last NAL unit ends at the next start
 * code), so it would wait a frame interval, and a sender's latest picture until it sends again. A sender that
 * announces a picture's length with its capture time has it completed as soon as that many bytes arrived.
 */
public final class AnnexBFeed {
    private final RelayStream stream;
    private final FeedStats stats;
    private final NalSplitter splitter;
    private final AccessUnitAssembler assembler;
    private final CaptureTimeline timeline;
    private long senderTs = CaptureTimeline.NONE;
    /** Bytes still to come of the announced picture; 0 when no length was announced (or it is complete). */
    private int pictureBytesLeft;
    private String firstRefusal;

    public AnnexBFeed(RelayStream stream, FeedStats stats, IngestConfig config) {
        this.stream = stream;
        this.stats = stats;
        this.timeline = new CaptureTimeline(config.maxCaptureLead().toMillis(), config.maxCaptureAge().toMillis());
        this.assembler = new AccessUnitAssembler(VideoCodec.H264, config.maxAccessUnitBytes(), this::publish);
        this.splitter = new NalSplitter(config.maxNalBytes(), assembler::accept);
    }

    /** Feeds one chunk received at {@code arrivalMs}; returns how many NAL units and access units it caused to be dropped. */
    public long accept(byte[] chunk, long arrivalMs) {
        long droppedBefore = dropped();
        int ending = pictureBytesLeft > 0 ? Math.min(pictureBytesLeft, chunk.length) : 0;
        if (ending > 0) {
            splitter.feed(chunk, 0, ending, arrivalMs);
            pictureBytesLeft -= ending;
            if (pictureBytesLeft == 0) {
                finish();
            }
        }
        // bytes beyond an announced length belong to a picture announced without one: it ends the old way
        splitter.feed(chunk, ending, chunk.length - ending, arrivalMs);
        updateStats();
        return dropped() - droppedBefore;
    }

    /**
     * The sender's capture time of the access unit whose bytes come next, and its Annex-B length in bytes when the
     * sender gave it (else 0). The sender has sent all of the one before, so it is complete now.
     */
    public void captureTime(long captureTs, int pictureBytes) {
        finish();
        senderTs = captureTs;
        pictureBytesLeft = pictureBytes;
    }

    /** The frame rate the publisher announced in {@code video_config}. */
    public void announcedFps(double fps) {
        timeline.announcedFps(fps);
    }

    /** The codec the publisher announced in {@code video_config}; the NAL units it sends still have the last word. */
    public void declaredCodec(VideoCodec codec) {
        assembler.declare(codec);
    }

    /** The first sender capture time this feed refused and why, or null. */
    public String firstRefusal() {
        return firstRefusal;
    }

    /** The publisher is gone, or says the access unit in progress is complete. */
    public void finish() {
        splitter.flush();
        assembler.flush();
        updateStats();
    }

    private void publish(AccessUnit au) {
        CaptureTimeline.Stamp stamp = timeline.next(au.captureTs(), senderTs);
        senderTs = CaptureTimeline.NONE;
        if (stamp.refusal() != null) {
            stats.refusedCaptureTime(stamp.refusal());
            firstRefusal = firstRefusal == null ? stamp.refusal() : firstRefusal;
        }
        stream.publish(au.withCaptureTs(stamp.captureTs()));
    }

    private long dropped() {
        return splitter.droppedNals() + assembler.droppedNals() + assembler.droppedAccessUnits();
    }

    private void updateStats() {
        stats.splitterTotals(splitter.droppedNals() + assembler.droppedNals(), splitter.skippedBytes());
        stats.droppedAccessUnits(assembler.droppedAccessUnits());
    }
}
