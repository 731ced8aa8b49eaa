package io.visionfleet.common.h264;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A stream's latest parameter sets (NAL units without start codes): H.264's SPS and PPS, or H.265's VPS, SPS and
 * PPS, in the order of {@link VideoCodec#parameterSetTypes()}. A reader that starts at an IDR or IRAP needs them in
 * front of it, and many sources send them only once or only out of band, so the relay, the pull sources and the
 * drone-side sender all put the remembered ones in front of random access points that lack them.
 */
public record ParameterSets(VideoCodec codec, List<byte[]> sets) {
    /**
     * Largest parameter set taken, in bytes: real ones are tens of bytes, a few hundred with scaling matrices. They
     * go into every DESCRIBE answer and in front of every IDR, so an absurd one is not remembered (it is relayed only
     * in its own access unit).
     */
    public static final int MAX_BYTES = 1024;

    public ParameterSets {
        sets = List.copyOf(sets);
    }

    /** H.264's SPS and PPS. */
    public ParameterSets(byte[] sps, byte[] pps) {
        this(VideoCodec.H264, List.of(sps, pps));
    }

    /**
     * The parameter sets after {@code au}: its parameter sets replace the current ones. Returns {@code current}
     * itself when nothing changed, and null while the stream has not yet carried all of them in this codec (a
     * picture of another codec starts over).
     */
    public static ParameterSets update(ParameterSets current, AccessUnit au) {
        VideoCodec codec = au.codec();
        List<Integer> types = codec.parameterSetTypes();
        byte[][] sets = new byte[types.size()][];
        if (current != null && current.codec == codec) {
            current.sets.toArray(sets);
        }
        for (byte[] nal : au.nalUnits()) {
            int index = types.indexOf(codec.nalType(nal));
            if (index >= 0 && nal.length <= MAX_BYTES && nal.length >= minBytes(codec, types.get(index))) {
                sets[index] = nal;
            }
        }
        for (byte[] set : sets) {
            if (set == null) {
                return null;
            }
        }
        if (current != null && current.codec == codec && Arrays.deepEquals(sets, current.sets.toArray())) {
            return current;
        }
        return new ParameterSets(codec, Arrays.asList(sets));
    }

    /** Long enough for what is read of it: an H.264 SPS's profile and level bytes, any set's header and one more. */
    private static int minBytes(VideoCodec codec, int type) {
        return codec == VideoCodec.H264 && type == AccessUnit.NAL_SPS ? 4 : codec.headerBytes() + 1;
    }

    public byte[] sps() {
        return set(codec == VideoCodec.H264 ? AccessUnit.NAL_SPS : VideoCodec.H265_SPS);
    }

    public byte[] pps() {
        return set(codec == VideoCodec.H264 ? AccessUnit.NAL_PPS : VideoCodec.H265_PPS);
    }

    /** H.265's VPS; H.264 has none. */
    public byte[] vps() {
        return set(VideoCodec.H265_VPS);
    }

    private byte[] set(int type) {
        int index = codec.parameterSetTypes().indexOf(type);
        return index < 0 ? null : sets.get(index);
    }

    /** {@code au} itself unless it is a random access point lacking parameter sets; then with these in front (see {@link #insert}). */
    public AccessUnit completing(AccessUnit au) {
        if (!au.isIdr() || au.codec() != codec) {
            return au;
        }
        return au.withNalUnits(insert(codec, au.nalUnits(), sets));
    }

    /**
     * {@code nals} itself when it carries every parameter set of {@code codec}; otherwise {@code sets} after the
     * access unit delimiter (which must come first) and before everything else, replacing any partial set it had.
     */
    public static List<byte[]> insert(VideoCodec codec, List<byte[]> nals, List<byte[]> sets) {
        List<Integer> types = codec.parameterSetTypes();
        boolean[] has = new boolean[types.size()];
        for (byte[] nal : nals) {
            int index = types.indexOf(codec.nalType(nal));
            if (index >= 0) {
                has[index] = true;
            }
        }
        boolean complete = true;
        for (boolean present : has) {
            complete &= present;
        }
        if (complete || sets.isEmpty()) {
            return nals;
        }
        List<byte[]> out = new ArrayList<>(nals.size() + sets.size());
        int next = 0;
        if (!nals.isEmpty() && codec.isAccessUnitDelimiter(codec.nalType(nals.get(0)))) {
            out.add(nals.get(next++));
        }
        out.addAll(sets);
        for (; next < nals.size(); next++) {
            if (!types.contains(codec.nalType(nals.get(next)))) {
                out.add(nals.get(next));
            }
        }
        return out;
    }

    /** profile_idc, constraint flags and level_idc: SPS bytes 1 to 3 in hex (RFC 6184 8.1, RFC 6381 {@code avc1.}). */
    public String profileLevelId() {
        return HexFormat.of().formatHex(sps(), 1, 4);
    }

    /** Base64 SPS and PPS for the H.264 SDP {@code sprop-parameter-sets} parameter (RFC 6184 8.1). */
    public String spropParameterSets() {
        Base64.Encoder base64 = Base64.getEncoder();
        return base64.encodeToString(sps()) + "," + base64.encodeToString(pps());
    }
}
