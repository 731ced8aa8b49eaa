package io.visionfleet.ingest.relay;

import java.util.List;

/**
 * A snapshot of one relayed stream for status pages and metrics.
 *
 * @param inputFps         access units received over the last second
 * @param bitrateBps       bits received over the last second
 * @param bytesIn          NAL unit bytes received since the stream opened
 * @param accessUnitsIn    access units received since the stream opened
 * @param lastIdrAgeMs     milliseconds since the last IDR arrived; null before the first one
 * @param hasParameterSets whether SPS and PPS are known, i.e. whether readers can be served
 * @param sourceState      what the source last reported (for pull sources: connecting, playing, retrying...)
 */
public record RelayStats(String streamId, String source, String sourceState, boolean hasParameterSets,
                         double inputFps, long bitrateBps, long bytesIn, long accessUnitsIn, Long lastIdrAgeMs,
                         List<Reader> readers) {

    /**
     * One reader of the stream.
     *
     * @param state           starting (waiting for its first IDR), playing, or resyncing (dropped, waiting for an IDR)
     * @param accessUnitsSent access units written to the reader
     * @param bytesSent       RTP payload bytes written to the reader
     * @param drops           access units the reader lost because its queue was full
     * @param queuedBytes     bytes waiting in the reader's send queue (bounded by {@code fleet.relay.reader-queue-bytes})
     */
    public record Reader(String id, String remoteAddress, String state, long accessUnitsSent, long bytesSent,
                         long drops, long queuedBytes) {
    }

    /** Bytes queued for all readers. */
    public long totalQueuedBytes() {
        return readers.stream().mapToLong(Reader::queuedBytes).sum();
    }

    /** Access units dropped over all readers. */
    public long totalDrops() {
        return readers.stream().mapToLong(Reader::drops).sum();
    }
}
