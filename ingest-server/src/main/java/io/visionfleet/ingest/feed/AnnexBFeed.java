package io.visionfleet.ingest.feed;

import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;
import io.visionfleet.ingest.relay.RelayStream;

/**
 * One publisher's H.264 Annex-B byte stream into its relay stream: chunks with arbitrary boundaries become NAL
 * units, NAL units become access units stamped with their arrival time, access units go to the relay.
 * Not thread-safe: one publisher feeds it in order.
 */
public final class AnnexBFeed {
    private final NalSplitter splitter;
    private final AccessUnitAssembler assembler;
    private final FeedStats stats;

    public AnnexBFeed(RelayStream stream, FeedStats stats, int maxNalBytes) {
        this.stats = stats;
        this.assembler = new AccessUnitAssembler(stream::publish);
        this.splitter = new NalSplitter(maxNalBytes, assembler::accept);
    }

    /** Feeds one chunk received at {@code arrivalMs}; returns how many NAL units it caused to be dropped. */
    public long accept(byte[] chunk, long arrivalMs) {
        long droppedBefore = splitter.droppedNals();
        splitter.feed(chunk, arrivalMs);
        stats.splitterTotals(splitter.droppedNals(), splitter.skippedBytes());
        return splitter.droppedNals() - droppedBefore;
    }

    /** The publisher is gone: the NAL unit and picture in progress are complete. */
    public void finish() {
        splitter.flush();
        assembler.flush();
        stats.splitterTotals(splitter.droppedNals(), splitter.skippedBytes());
    }
}
