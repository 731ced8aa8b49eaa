package io.visionfleet.sim.publish;

import io.visionfleet.common.h264.AccessUnit;

import java.util.ArrayList;
import java.util.List;

/**
 * The latest SPS and PPS of the stream. A session that starts at an IDR needs them in front of it, and a raw
 * file may carry them only once at its start; an IDR that lacks them gets the remembered ones.
 */
public final class ParameterSets {
    private byte[] sps;
    private byte[] pps;

    public void remember(AccessUnit au) {
        for (byte[] nal : au.nalUnits()) {
            int type = AccessUnit.nalType(nal);
            if (type == AccessUnit.NAL_SPS) {
                sps = nal;
            } else if (type == AccessUnit.NAL_PPS) {
                pps = nal;
            }
        }
    }

    /** {@code au} with the remembered SPS/PPS inserted before its first slice where it lacks them. */
    public AccessUnit completing(AccessUnit au) {
        boolean hasSps = false;
        boolean hasPps = false;
        for (byte[] nal : au.nalUnits()) {
            hasSps |= AccessUnit.nalType(nal) == AccessUnit.NAL_SPS;
            hasPps |= AccessUnit.nalType(nal) == AccessUnit.NAL_PPS;
        }
        if ((hasSps || sps == null) && (hasPps || pps == null)) {
            return au;
        }
        List<byte[]> nals = new ArrayList<>(au.nalUnits().size() + 2);
        boolean inserted = false;
        for (byte[] nal : au.nalUnits()) {
            int type = AccessUnit.nalType(nal);
            if (!inserted && type >= 1 && type <= 5) {
                if (!hasSps && sps != null) {
                    nals.add(sps);
                }
                if (!hasPps && pps != null) {
                    nals.add(pps);
                }
                inserted = true;
            }
            nals.add(nal);
        }
        return new AccessUnit(nals, au.captureTsMs());
    }
}
