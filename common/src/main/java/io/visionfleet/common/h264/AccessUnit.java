package io.visionfleet.common.h264;

import java.util.List;

/**
 * One coded picture: its codec, its NAL units without start codes (emulation-prevention bytes kept), in decoding
 * order, and the capture time it is stamped with. The capture time drives the RTP timestamp, so every reader
 * of the relay maps the picture back to the same {@code capture_ts}. The {@code NAL_} types and {@link #nalType}
 * are H.264's; {@link VideoCodec} reads either codec's headers.
 */
public record AccessUnit(VideoCodec codec, List<byte[]> nalUnits, long captureTs) {
    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;

    public AccessUnit {
        nalUnits = List.copyOf(nalUnits);
    }

    /** An H.264 picture. */
    public AccessUnit(List<byte[]> nalUnits, long captureTs) {
        this(VideoCodec.H264, nalUnits, captureTs);
    }

    public static int nalType(byte[] nal) {
        return nal[0] & 0x1f;
    }

    /** True when the picture is an H.264 IDR or an H.265 IRAP: a reader may start decoding here. */
    public boolean isIdr() {
        for (byte[] nal : nalUnits) {
            if (codec.isRandomAccess(codec.nalType(nal))) {
                return true;
            }
        }
        return false;
    }

    /** The same picture stamped with another capture time. */
    public AccessUnit withCaptureTs(long captureTs) {
        return new AccessUnit(codec, nalUnits, captureTs);
    }

    /** The same picture with other NAL units ({@code this} when they are these). */
    public AccessUnit withNalUnits(List<byte[]> nals) {
        return nals == nalUnits ? this : new AccessUnit(codec, nals, captureTs);
    }

    public int sizeBytes() {
        int size = 0;
        for (byte[] nal : nalUnits) {
            size += nal.length;
        }
        return size;
    }
}
