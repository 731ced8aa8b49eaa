package io.visionfleet.ingest.fmp4;

import io.visionfleet.common.h264.VideoCodec;

import java.util.Set;

/**
 * What an MP4 sample entry and its decoder configuration record need from a sequence parameter set: the picture
 * size after cropping, the chroma format and bit depths, and (H.265) the general profile_tier_level bytes and the
 * sub-layer count. Parsed per ITU-T H.264 7.3.2.1.1 and H.265 7.3.2.2.
 *
 * @param profileTierLevel H.265 only: the 12 bytes of general profile, tier, compatibility, constraints and level
 */
record SpsSummary(int width, int height, int chromaFormat, int bitDepthLuma, int bitDepthChroma, int subLayers,
                  boolean temporalIdNesting, byte[] profileTierLevel) {
    /** Largest picture side accepted: H.265 level 6.2 allows 8444 luma samples across; anything larger is garbage. */
    static final int MAX_SIDE = 16_888;
    /** H.264 profiles whose SPS carries chroma_format_idc and bit depths (7.3.2.1.1). */
    private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);
    private static final int H265_GENERAL_PTL_BYTES = 12;

    /** The summary of {@code sps} (a NAL unit with its header); {@link IllegalArgumentException} when malformed. */
    static SpsSummary of(VideoCodec codec, byte[] sps) {
        SpsSummary summary = codec == VideoCodec.H264 ? h264(sps) : h265(sps);
        if (summary.width <= 0 || summary.height <= 0 || summary.width > MAX_SIDE || summary.height > MAX_SIDE) {
            throw new IllegalArgumentException("SPS says " + summary.width + "x" + summary.height);
        }
        return summary;
    }

    private static SpsSummary h264(byte[] sps) {
        RbspReader in = new RbspReader(sps, 1);
        int profile = in.u(8);
        in.skip(16); // constraint flags, level_idc
        in.ue(); // seq_parameter_set_id
        int chroma = 1;
        int lumaDepth = 8;
        int chromaDepth = 8;
        boolean separatePlanes = false;
        if (HIGH_PROFILES.contains(profile)) {
            chroma = in.ue();
            if (chroma == 3) {
                separatePlanes = in.flag();
            }
            lumaDepth = 8 + in.ue();
            chromaDepth = 8 + in.ue();
            in.skip(1); // qpprime_y_zero_transform_bypass_flag
            if (in.flag()) {
                skipScalingLists(in, chroma == 3 ? 12 : 8);
            }
        }
        in.ue(); // log2_max_frame_num_minus4
        int pocType = in.ue();
        if (pocType == 0) {
            in.ue();
        } else if (pocType == 1) {
            in.skip(1);
            in.se();
            in.se();
            int cycle = in.ue();
            for (int i = 0; i < cycle; i++) {
                in.se();
            }
        }
        in.ue(); // max_num_ref_frames
        in.skip(1); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = in.ue() + 1;
        int heightMapUnits = in.ue() + 1;
        boolean frameMbsOnly = in.flag();
        if (!frameMbsOnly) {
            in.skip(1);
        }
        in.skip(1); // direct_8x8_inference_flag
        int width = widthMbs * 16;
        int height = heightMapUnits * 16 * (frameMbsOnly ? 1 : 2);
        if (in.flag()) { // frame_cropping_flag, offsets in chroma sample units (7.4.2.1.1)
            int arrayType = separatePlanes ? 0 : chroma;
            int cropX = arrayType == 0 ? 1 : subWidth(chroma);
            int cropY = (arrayType == 0 ? 1 : subHeight(chroma)) * (frameMbsOnly ? 1 : 2);
            width -= cropX * (in.ue() + in.ue());
            height -= cropY * (in.ue() + in.ue());
        }
        return new SpsSummary(width, height, chroma, lumaDepth, chromaDepth, 1, true, null);
    }

    private static void skipScalingLists(RbspReader in, int lists) {
        for (int i = 0; i < lists; i++) {
            if (!in.flag()) {
                continue;
            }
            int size = i < 6 ? 16 : 64;
            int last = 8;
            int next = 8;
            for (int j = 0; j < size && next != 0; j++) {
                next = (last + in.se() + 256) % 256;
                last = next == 0 ? last : next;
            }
        }
    }

    private static SpsSummary h265(byte[] sps) {
        RbspReader in = new RbspReader(sps, 2);
        in.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = in.u(3);
        boolean nesting = in.flag();
        byte[] ptl = in.bytes(H265_GENERAL_PTL_BYTES);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = in.flag();
            levelPresent[i] = in.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            in.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            in.skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
        in.ue(); // sps_seq_parameter_set_id
        int chroma = in.ue();
        boolean separatePlanes = chroma == 3 && in.flag();
        int width = in.ue();
        int height = in.ue();
        if (in.flag()) { // conformance_window_flag
            int arrayType = separatePlanes ? 0 : chroma;
            int cropX = arrayType == 0 ? 1 : subWidth(chroma);
            int cropY = arrayType == 0 ? 1 : subHeight(chroma);
            width -= cropX * (in.ue() + in.ue());
            height -= cropY * (in.ue() + in.ue());
        }
        int lumaDepth = 8 + in.ue();
        int chromaDepth = 8 + in.ue();
        return new SpsSummary(width, height, chroma, lumaDepth, chromaDepth, maxSubLayersMinus1 + 1, nesting, ptl);
    }

    /** SubWidthC of Table 6-1: 2 for 4:2:0 and 4:2:2, 1 for 4:4:4. */
    private static int subWidth(int chroma) {
        return chroma == 3 ? 1 : 2;
    }

    /** SubHeightC of Table 6-1: 2 for 4:2:0, 1 otherwise. */
    private static int subHeight(int chroma) {
        return chroma == 1 ? 2 : 1;
    }
}
