package io.visionfleet.common.rtsp;

import io.visionfleet.common.h264.VideoCodec;

import java.util.Arrays;

/**
 * Reassembles access units from RTP payloads in Annex B form, ending each at the packet that carries the RTP marker
 * bit: H.264 (RFC 6184: single NAL unit, STAP-A and FU-A packets) and H.265 (RFC 7798: single NAL unit, AP and FU
 * packets, without DONL since the relay sends {@code sprop-max-don-diff} 0). Ending at the marker is the point of it:
 * FFmpeg's RTSP demuxer learns that a picture ended only when the next one begins, a whole frame interval later.
 *
 * <p>An access unit with a gap (a lost packet, a fragment without its start) is dropped whole; so is one over
 * {@link #MAX_ACCESS_UNIT} bytes. One whose marker never came is dropped when a packet of another picture arrives.
 */
final class RtpDepacketizer {
    static final int MAX_ACCESS_UNIT = 8 << 20;
    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final int H264_STAP_A = 24;
    private static final int H264_FU_A = 28;
    private static final int H265_AP = 48;
    private static final int H265_FU = 49;
    private static final long NONE = -1;

    private final VideoCodec codec;
    private final int headerBytes;
    private final int aggregation;
    private final int fragmentation;
    private byte[] unit = new byte[256 * 1024];
    private int length;
    /** RTP timestamp of the access unit being assembled, or {@link #NONE} between access units. */
    private long timestamp = NONE;
    private boolean broken;
    private boolean inFragment;
    private boolean randomAccess;
    private boolean slices;
    private boolean referenced;
    /** The highest H.265 sub-layer seen on the stream: a non-reference picture below it may be referred to. */
    private int topTemporalId;
    private int nextSequence = -1;
    private long dropped;

    RtpDepacketizer(VideoCodec codec) {
        this.codec = codec;
        this.headerBytes = codec.headerBytes();
        this.aggregation = codec == VideoCodec.H264 ? H264_STAP_A : H265_AP;
        this.fragmentation = codec == VideoCodec.H264 ? H264_FU_A : H265_FU;
    }

    /**
     * Adds one RTP payload; true when it completed an access unit, which is then {@link #accessUnit()} up to
     * {@link #length()} until the next call.
     */
    boolean add(byte[] payload, int offset, int size, int sequence, long rtpTimestamp, boolean marker) {
        if (timestamp != rtpTimestamp) {
            if (timestamp != NONE) {
                dropped++; // the previous picture's marker never came
            }
            startUnit(rtpTimestamp);
        }
        if (nextSequence >= 0 && sequence != nextSequence) {
            broken = true;
        }
        nextSequence = (sequence + 1) & 0xFFFF;
        if (size > 0 && !broken) {
            append(payload, offset, size);
        }
        if (!marker) {
            return false;
        }
        boolean complete = !broken && !inFragment && length > 0;
        if (!complete) {
            dropped++;
        }
        timestamp = NONE;
        return complete;
    }

    byte[] accessUnit() {
        return unit;
    }

    int length() {
        return length;
    }

    /** Whether the completed access unit holds a picture a decoder can start at (an H.264 IDR, an H.265 IRAP). */
    boolean randomAccess() {
        return randomAccess;
    }

    /**
     * Whether the completed access unit is a picture no other picture refers to (an H.264 B or P picture with
     * {@code nal_ref_idc} 0, an H.265 non-reference picture of the top sub-layer seen): a decoder may leave it out
     * and decode every later picture as well.
     */
    boolean nonReference() {
        return slices && !referenced;
    }

    /** Access units dropped so far because a packet was missing. */
    long dropped() {
        return dropped;
    }

    private void startUnit(long rtpTimestamp) {
        timestamp = rtpTimestamp;
        length = 0;
        broken = false;
        inFragment = false;
        randomAccess = false;
        slices = false;
        referenced = false;
    }

    private void append(byte[] p, int offset, int size) {
        if (size <= headerBytes) {
            broken = true;
            return;
        }
        int type = codec.nalType(p[offset]);
        if (type == aggregation) {
            aggregate(p, offset + headerBytes, offset + size);
        } else if (type == fragmentation) {
            fragment(p, offset, size);
        } else if (codec == VideoCodec.H264 ? type >= 1 && type <= 23 : type < H265_AP) {
            nal(p, offset, size);
        } else {
            broken = true; // H.264's FU-B and MTAP, and reserved types, are not used in packetization mode 1
        }
    }

    /** STAP-A or AP: NAL units, each after its 16-bit size. */
    private void aggregate(byte[] p, int from, int end) {
        for (int at = from; at + 2 <= end && !broken; ) {
            int nalSize = ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
            at += 2;
            if (nalSize < headerBytes || at + nalSize > end) {
                broken = true;
            } else {
                nal(p, at, nalSize);
                at += nalSize;
            }
        }
    }

    /** FU-A or FU: the payload header, a header with start and end bits and the type, then a slice of the unit. */
    private void fragment(byte[] p, int offset, int size) {
        int fuHeader = p[offset + headerBytes] & 0xFF;
        boolean start = (fuHeader & 0x80) != 0;
        boolean end = (fuHeader & 0x40) != 0;
        if (start == inFragment) { // a start inside a fragment, or a middle without one
            broken = true;
            return;
        }
        if (start) {
            // the unit's own header: the payload header's other bits with the FU header's type
            byte[] header = codec == VideoCodec.H264
                    ? new byte[] {(byte) ((p[offset] & 0xE0) | (fuHeader & 0x1F))}
                    : new byte[] {(byte) ((p[offset] & 0x81) | ((fuHeader & 0x3F) << 1)), p[offset + 1]};
            put(START_CODE, 0, START_CODE.length);
            put(header, 0, header.length);
            classify(header[0], header[headerBytes - 1]);
        }
        put(p, offset + headerBytes + 1, size - headerBytes - 1);
        inFragment = !end;
    }

    private void nal(byte[] p, int offset, int size) {
        if (inFragment) {
            broken = true;
            return;
        }
        put(START_CODE, 0, START_CODE.length);
        put(p, offset, size);
        classify(p[offset], p[offset + headerBytes - 1]);
    }

    /** What a NAL unit header says of its picture: its first and last byte (the same byte for H.264). */
    private void classify(byte first, byte last) {
        int type = codec.nalType(first);
        randomAccess |= codec.isRandomAccess(type);
        if (codec.isSlice(type)) {
            int temporalId = codec.temporalId(last);
            topTemporalId = Math.max(topTemporalId, temporalId);
            slices = true;
            referenced |= !codec.isNonReferenceSlice(first) || temporalId < topTemporalId;
        }
    }

    private void put(byte[] p, int offset, int size) {
        if (length + size > MAX_ACCESS_UNIT) {
            broken = true;
            return;
        }
        if (length + size > unit.length) {
            unit = Arrays.copyOf(unit, Math.min(MAX_ACCESS_UNIT, Math.max(unit.length * 2, length + size)));
        }
        System.arraycopy(p, offset, unit, length, size);
        length += size;
    }
}
