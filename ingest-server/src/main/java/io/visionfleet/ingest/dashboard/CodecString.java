package io.visionfleet.ingest.dashboard;

import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.util.Locale;

/**
 * The RFC 6381 codec string WebCodecs' {@code VideoDecoder} is configured with, read from the stream's SPS:
 * {@code avc1.PPCCLL} for H.264, and for H.265 ISO/IEC 14496-15 annex E's
 * {@code hvc1.[A-C]profile.compatibility.(L|H)level[.constraint bytes]} from the SPS's profile_tier_level
 * (ITU-T H.265 7.3.3), e.g. {@code hvc1.1.6.L93.B0} for Main at level 3.1.
 */
final class CodecString {
    /** NAL header (2), the byte before profile_tier_level (1), its general part (12). */
    private static final int H265_PREFIX_BYTES = 15;

    private CodecString() {
    }

    /** The codec string of a stream with these parameter sets, or null when its SPS is too short to say. */
    static String of(ParameterSets sets) {
        return sets.codec() == VideoCodec.H264 ? "avc1." + sets.profileLevelId() : hvc1(sets.sps());
    }

    /** The {@code hvc1.} string of an H.265 SPS (with its NAL header), or null when it is too short. */
    static String hvc1(byte[] sps) {
        byte[] rbsp = unescape(sps, H265_PREFIX_BYTES);
        if (rbsp == null) {
            return null;
        }
        int first = rbsp[3] & 0xff;
        int profileSpace = first >> 6;
        boolean highTier = (first & 0x20) != 0;
        int profileIdc = first & 0x1f;
        int compatibility = (rbsp[4] & 0xff) << 24 | (rbsp[5] & 0xff) << 16 | (rbsp[6] & 0xff) << 8 | rbsp[7] & 0xff;
        StringBuilder codec = new StringBuilder("hvc1.");
        if (profileSpace > 0) {
            codec.append((char) ('A' + profileSpace - 1));
        }
        codec.append(profileIdc).append('.')
                .append(Integer.toHexString(Integer.reverse(compatibility)).toUpperCase(Locale.ROOT)).append('.')
                .append(highTier ? 'H' : 'L').append(rbsp[14] & 0xff);
        int constraintBytes = 6;
        while (constraintBytes > 0 && rbsp[7 + constraintBytes] == 0) {
            constraintBytes--; // trailing zero bytes are left out
        }
        for (int i = 0; i < constraintBytes; i++) {
            codec.append('.').append(Integer.toHexString(rbsp[8 + i] & 0xff).toUpperCase(Locale.ROOT));
        }
        return codec.toString();
    }

    /** The first {@code length} bytes of {@code nal} without emulation-prevention bytes, or null if it has fewer. */
    private static byte[] unescape(byte[] nal, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = 0; i < nal.length && n < length; i++) {
            if (zeros >= 2 && nal[i] == 3) {
                zeros = 0;
                continue;
            }
            zeros = nal[i] == 0 ? zeros + 1 : 0;
            out[n++] = nal[i];
        }
        return n == length ? out : null;
    }
}
