package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** The stream's latest H.264 sequence and picture parameter sets (NAL units without start codes). */
record ParameterSets(byte[] sps, byte[] pps) {

    /**
     * The parameter sets after {@code au}: its SPS and PPS replace the current ones. Returns {@code current} itself
     * when nothing changed, and null while the stream has not yet carried both.
     */
    static ParameterSets update(ParameterSets current, AccessUnit au) {
        byte[] sps = current == null ? null : current.sps;
        byte[] pps = current == null ? null : current.pps;
        for (byte[] nal : au.nalUnits()) {
            int type = AccessUnit.nalType(nal);
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

    /** profile_idc, constraint flags and level_idc: SPS bytes 1 to 3 in hex (RFC 6184 8.1). */
    String profileLevelId() {
        return HexFormat.of().formatHex(sps, 1, 4);
    }

    /** Base64 SPS and PPS for the SDP {@code sprop-parameter-sets} parameter. */
    String spropParameterSets() {
        Base64.Encoder base64 = Base64.getEncoder();
        return base64.encodeToString(sps) + "," + base64.encodeToString(pps);
    }
}
