package io.visionfleet.common.rtsp;

import java.util.Arrays;

/**
 * Reassembles H.264 access units from RTP payloads (RFC 6184: single NAL unit, STAP-A and FU-A packets) in Annex B
 * form, ending each at the packet that carries the RTP marker bit. That is the point of it: FFmpeg's RTSP demuxer
 * learns that a picture ended only when the next one begins, a whole frame interval later.
 *
 * <p>An access unit with a gap (a lost packet, a fragment without its start) is dropped whole; so is one over
 * {@link #MAX_ACCESS_UNIT} bytes. One whose marker never came is dropped when a packet of another picture arrives.
 */
final class H264Depacketizer {
    static final int MAX_ACCESS_UNIT = 8 << 20;
    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final long NONE = -1;

    private byte[] unit = new byte[256 * 1024];
    private int length;
    /** RTP timestamp of the access unit being assembled, or {@link #NONE} between access units. */
    private long timestamp = NONE;
    private boolean broken;
    private boolean inFragment;
    private int nextSequence = -1;
    private long dropped;

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

    /** Access units dropped so far because a packet was missing. */
    long dropped() {
        return dropped;
    }

    private void startUnit(long rtpTimestamp) {
        timestamp = rtpTimestamp;
        length = 0;
        broken = false;
        inFragment = false;
    }

    private void append(byte[] p, int offset, int size) {
        int type = p[offset] & 0x1F;
        if (type >= 1 && type <= 23) {
            nal(p, offset, size);
        } else if (type == STAP_A) {
            for (int at = offset + 1; at + 2 <= offset + size && !broken; ) {
                int nalSize = ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
                at += 2;
                if (nalSize == 0 || at + nalSize > offset + size) {
                    broken = true;
                } else {
                    nal(p, at, nalSize);
                    at += nalSize;
                }
            }
        } else if (type == FU_A && size > 2) {
            fragment(p, offset, size);
        } else {
            broken = true; // FU-B, MTAP and reserved types are not used in packetization mode 1
        }
    }

    private void fragment(byte[] p, int offset, int size) {
        boolean start = (p[offset + 1] & 0x80) != 0;
        boolean end = (p[offset + 1] & 0x40) != 0;
        if (start == inFragment) { // a start inside a fragment, or a middle without one
            broken = true;
            return;
        }
        if (start) {
            put(START_CODE, 0, START_CODE.length);
            put(new byte[] {(byte) ((p[offset] & 0xE0) | (p[offset + 1] & 0x1F))}, 0, 1);
        }
        put(p, offset + 2, size - 2);
        inFragment = !end;
    }

    private void nal(byte[] p, int offset, int size) {
        if (inFragment) {
            broken = true;
            return;
        }
        put(START_CODE, 0, START_CODE.length);
        put(p, offset, size);
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
