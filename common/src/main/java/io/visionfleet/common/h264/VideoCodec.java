package io.visionfleet.common.h264;

import java.util.List;

/**
 * The two video codecs the fleet carries, and what their NAL unit headers say: H.264 (one header byte, type in the
 * low 5 bits) and H.265 (two header bytes, type in bits 1-6 of the first; ITU-T H.265 7.3.1.2). Everything that
 * groups, completes or packetizes NAL units asks its access unit's codec rather than reading header bits itself.
 */
public enum VideoCodec {
    H264(1, List.of(AccessUnit.NAL_SPS, AccessUnit.NAL_PPS), AccessUnit.NAL_AUD, 12),
    H265(2, List.of(VideoCodec.H265_VPS, VideoCodec.H265_SPS, VideoCodec.H265_PPS), VideoCodec.H265_AUD, 38);

    public static final int H265_VPS = 32;
    public static final int H265_SPS = 33;
    public static final int H265_PPS = 34;
    public static final int H265_AUD = 35;
    private static final int H265_PREFIX_SEI = 39;

    private final int headerBytes;
    private final List<Integer> parameterSetTypes;
    private final int audType;
    private final int fillerType;

    VideoCodec(int headerBytes, List<Integer> parameterSetTypes, int audType, int fillerType) {
        this.headerBytes = headerBytes;
        this.parameterSetTypes = parameterSetTypes;
        this.audType = audType;
        this.fillerType = fillerType;
    }

    /** NAL unit header length: 1 for H.264, 2 for H.265. */
    public int headerBytes() {
        return headerBytes;
    }

    public int nalType(byte[] nal) {
        return nalType(nal[0]);
    }

    /** The type in a NAL unit header's (or an RTP payload header's) first byte. */
    public int nalType(byte firstHeaderByte) {
        return this == H264 ? firstHeaderByte & 0x1f : (firstHeaderByte >> 1) & 0x3f;
    }

    /** The parameter set types a decoder needs before a random access point, in the order they are sent. */
    public List<Integer> parameterSetTypes() {
        return parameterSetTypes;
    }

    public boolean isAccessUnitDelimiter(int type) {
        return type == audType;
    }

    public boolean isFiller(int type) {
        return type == fillerType;
    }

    /** A coded slice (H.264 types 1-5; H.265 VCL types 0-31). */
    public boolean isSlice(int type) {
        return this == H264 ? type >= 1 && type <= 5 : type <= 31;
    }

    /**
     * Whether a slice with this first header byte is one no later picture of its temporal sub-layer refers to:
     * H.264 {@code nal_ref_idc} 0 (7.4.1); H.265 a sub-layer non-reference type, even and at most 14 (7.4.2.2), which
     * pictures of higher sub-layers may still refer to (see {@link #temporalId}).
     */
    public boolean isNonReferenceSlice(byte firstHeaderByte) {
        if (this == H264) {
            return (firstHeaderByte & 0x60) == 0;
        }
        int type = nalType(firstHeaderByte);
        return type <= 14 && type % 2 == 0;
    }

    /** H.265's {@code TemporalId} from a NAL unit header's second byte; 0 for H.264, which has no sub-layers. */
    public int temporalId(byte secondHeaderByte) {
        return this == H264 ? 0 : (secondHeaderByte & 0x07) - 1;
    }

    /** A picture a decoder can start at: an H.264 IDR, an H.265 IRAP (BLA, IDR or CRA, types 16-23). */
    public boolean isRandomAccess(int type) {
        return this == H264 ? type == AccessUnit.NAL_IDR : type >= 16 && type <= 23;
    }

    /**
     * A header a decoder accepts: complete, forbidden bit clear, a type that is neither reserved nor unspecified
     * (H.264: 1-23; H.265: 0-9, 16-21, 32-40, with a non-zero {@code nuh_temporal_id_plus1}).
     */
    public boolean isValidHeader(byte[] nal) {
        if (nal.length < headerBytes || (nal[0] & 0x80) != 0) {
            return false;
        }
        int type = nalType(nal);
        if (this == H264) {
            return type != 0 && type <= 23;
        }
        return (nal[1] & 0x07) != 0 && (type <= 9 || type >= 16 && type <= 21 || type >= 32 && type <= 40);
    }

    /**
     * Whether {@code nal} begins a new access unit once the current one holds a slice (H.264 7.4.1.2.3,
     * H.265 7.4.2.4.4): a delimiter, parameter set or prefix SEI, or the first slice of a picture.
     */
    public boolean startsAccessUnit(byte[] nal) {
        int type = nalType(nal);
        if (this == H264) {
            if (isSlice(type)) {
                // first_mb_in_slice is ue(v) at the start of the slice header: value 0 is the single bit '1'
                return nal.length > 1 && (nal[1] & 0x80) != 0;
            }
            return type == AccessUnit.NAL_AUD || type == AccessUnit.NAL_SEI || type == AccessUnit.NAL_SPS
                    || type == AccessUnit.NAL_PPS || (type >= 14 && type <= 18);
        }
        if (isSlice(type)) {
            return nal.length > 2 && (nal[2] & 0x80) != 0; // first_slice_segment_in_pic_flag
        }
        return type >= H265_VPS && type <= H265_AUD || type == H265_PREFIX_SEI || type >= 41 && type <= 44
                || type >= 48 && type <= 55;
    }

    /**
     * The codec a NAL unit proves, or null when it could belong to either. Only units that start a stream decide:
     * an H.264 SPS or delimiter, whose header byte is odd for H.265 (a layer id of 32 or more, which single-layer
     * streams never use), or an H.265 VPS, SPS, PPS or delimiter of layer 0, whose header bytes are invalid H.264
     * (type 0, an SEI with a non-zero {@code nal_ref_idc}) or data partitions, which no profile in use has.
     */
    public static VideoCodec detect(byte[] nal) {
        if (nal.length == 0 || (nal[0] & 0x80) != 0) {
            return null;
        }
        int h264Type = nal[0] & 0x1f;
        if (h264Type == AccessUnit.NAL_SPS || nal[0] == AccessUnit.NAL_AUD) {
            return H264;
        }
        int h265Type = (nal[0] >> 1) & 0x3f;
        boolean baseLayer = (nal[0] & 0x01) == 0 && nal.length > 1 && (nal[1] & 0xf8) == 0 && (nal[1] & 0x07) != 0;
        return baseLayer && h265Type >= H265_VPS && h265Type <= H265_AUD ? H265 : null;
    }
}
