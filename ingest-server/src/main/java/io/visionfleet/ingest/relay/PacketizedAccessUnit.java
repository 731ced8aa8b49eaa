package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.visionfleet.common.h264.AccessUnit;

/**
 * The RTP payloads of one access unit, built once per stream and shared by every reader: a reader adds only
 * its own 12-byte RTP header to each payload slice. Reference counted because the GOP cache and writes still
 * in flight may outlive the publish call.
 */
final class PacketizedAccessUnit extends AbstractReferenceCounted {
    private final ByteBuf payloads;
    private final int[] packetEnds;
    private final long captureTs;
    private final int rtpTimestamp;
    private final boolean idr;
    private final AccessUnit nals;

    PacketizedAccessUnit(ByteBuf payloads, int[] packetEnds, long captureTs, int rtpTimestamp, boolean idr,
                         AccessUnit nals) {
        this.payloads = payloads;
        this.packetEnds = packetEnds;
        this.captureTs = captureTs;
        this.rtpTimestamp = rtpTimestamp;
        this.idr = idr;
        this.nals = nals;
    }

    /** The NAL units these packets carry (SPS and PPS in front of an IDR), for taps that want whole NAL units. */
    AccessUnit nals() {
        return nals;
    }

    int packetCount() {
        return packetEnds.length;
    }

    /** Payload of packet {@code index}: a retained slice the caller must release (or hand to a write). */
    ByteBuf retainedPayload(int index) {
        int start = index == 0 ? 0 : packetEnds[index - 1];
        return payloads.retainedSlice(start, packetEnds[index] - start);
    }

    int payloadBytes() {
        return packetEnds.length == 0 ? 0 : packetEnds[packetEnds.length - 1];
    }

    long captureTs() {
        return captureTs;
    }

    int rtpTimestamp() {
        return rtpTimestamp;
    }

    boolean idr() {
        return idr;
    }

    @Override
    public PacketizedAccessUnit retain() {
        super.retain();
        return this;
    }

    @Override
    public PacketizedAccessUnit touch(Object hint) {
        payloads.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        payloads.release();
    }
}
