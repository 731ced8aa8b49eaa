package io.visionfleet.common.h264;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A stream's latest H.264 sequence and picture parameter sets (NAL units without start codes). A reader that starts
 * at an IDR needs them in front of it, and many sources send them only once or only out of band, so the relay, the
 * pull sources and the drone-side sender all put the remembered ones in front of IDRs that lack them.
 */
public record ParameterSets(byte[] sps, byte[] pps) {
    /**
     * Largest SPS or PPS taken, in bytes: real ones are tens of bytes, a few hundred with scaling matrices. They go
     * into every DESCRIBE answer and in front of every IDR, so an absurd one is not remembered (it is relayed only
     * in its own access unit).
     */
    public static final int MAX_BYTES = 1024;

    /**
     * The parameter sets after {@code au}: its SPS and PPS replace the current ones. Returns {@code current} itself
     * when nothing changed, and null while the stream has not yet carried both.
     */
    public static ParameterSets update(ParameterSets current, AccessUnit au) {
        byte[] sps = current == null ? null : current.sps;
        byte[] pps = current == null ? null : current.pps;
        for (byte[] nal : au.nalUnits()) {
            int type = AccessUnit.nalType(nal);
            if (nal.length > MAX_BYTES) {
                continue;
            }
            if (type == AccessUnit.NAL_SPS && nal.length >= 4) {
                sps = nal;
            } else if (type == AccessUnit.NAL_PPS && nal.length >= 2) {
                pps = nal;
            }
        }
        if (sps == null || pps == null) {
            return null;
        }
        if (current != null && Arrays.equals(sps, current.sps) && Arrays.equals(pps, current.pps)) {
            return current;
        }
        return new ParameterSets(sps, pps);
    }

    /** {@code au} itself unless it is an IDR lacking SPS or PPS; then with these in front (see {@link #insert}). */
    public AccessUnit completing(AccessUnit au) {
        if (!au.isIdr()) {
            return au;
        }
        List<byte[]> nals = insert(au.nalUnits(), List.of(sps, pps));
        return nals == au.nalUnits() ? au : new AccessUnit(nals, au.captureTs());
    }

    /**
     * {@code nals} itself when it carries both an SPS and a PPS; otherwise {@code sets} after the access unit
     * delimiter (which must come first) and before everything else, replacing any partial set it had.
     */
    public static List<byte[]> insert(List<byte[]> nals, List<byte[]> sets) {
        boolean hasSps = false;
        boolean hasPps = false;
        for (byte[] nal : nals) {
            int type = AccessUnit.nalType(nal);
            hasSps |= type == AccessUnit.NAL_SPS;
            hasPps |= type == AccessUnit.NAL_PPS;
        }
        if (hasSps && hasPps || sets.isEmpty()) {
            return nals;
        }
        List<byte[]> out = new ArrayList<>(nals.size() + sets.size());
        int next = 0;
        if (!nals.isEmpty() && AccessUnit.nalType(nals.get(0)) == AccessUnit.NAL_AUD) {
            out.add(nals.get(next++));
        }
        out.addAll(sets);
        for (; next < nals.size(); next++) {
            int type = AccessUnit.nalType(nals.get(next));
            if (type != AccessUnit.NAL_SPS && type != AccessUnit.NAL_PPS) {
                out.add(nals.get(next));
            }
        }
        return out;
    }

    /** profile_idc, constraint flags and level_idc: SPS bytes 1 to 3 in hex (RFC 6184 8.1, RFC 6381 {@code avc1.}). */
    public String profileLevelId() {
        return profileLevelId(sps);
    }

    public static String profileLevelId(byte[] sps) {
        return HexFormat.of().formatHex(sps, 1, 4);
    }

    /** Base64 SPS and PPS for the SDP {@code sprop-parameter-sets} parameter (RFC 6184 8.1). */
    public String spropParameterSets() {
        Base64.Encoder base64 = Base64.getEncoder();
        return base64.encodeToString(sps) + "," + base64.encodeToString(pps);
    }
}
