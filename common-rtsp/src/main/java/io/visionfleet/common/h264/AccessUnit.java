package io.visionfleet.common.h264;

import java.util.List;

/**
 * One coded picture: its H.264 NAL units without start codes (emulation-prevention bytes kept), in decoding
 * order, and the capture time it is stamped with. The capture time drives the RTP timestamp, so every reader
 * of the relay maps the picture back to the same {@code capture_ts}.
 */
public record AccessUnit(List<byte[]> nalUnits, long captureTs) {
    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;

    public AccessUnit {
        nalUnits = List.copyOf(nalUnits);
    }

    public static int nalType(byte[] nal) {
        return nal[0] & 0x1f;
    }

    /** True when the picture is an IDR: a reader may start decoding here. */
    public boolean isIdr() {
        for (byte[] nal : nalUnits) {
            if (nalType(nal) == NAL_IDR) {
                return true;
            }
        }
        return false;
    }

    /** The same picture stamped with another capture time. */
    public AccessUnit withCaptureTs(long captureTs) {
        return new AccessUnit(nalUnits, captureTs);
    }

    public int sizeBytes() {
        int size = 0;
        for (byte[] nal : nalUnits) {
            size += nal.length;
        }
        return size;
    }
}
