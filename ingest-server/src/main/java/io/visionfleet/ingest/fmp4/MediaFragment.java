package io.visionfleet.ingest.fmp4;

import io.visionfleet.common.h264.AccessUnit;

/**
 * One picture as a movie fragment (ISO/IEC 14496-12 8.8.4): {@code moof} with the track's decode time
 * ({@code tfdt}) and one {@code trun} entry, then {@code mdat} with the picture's NAL units, each behind a 4-byte
 * length. Access unit delimiters and parameter sets are left out: the sample entry carries the parameter sets, and
 * new ones start a new initialization segment.
 */
final class MediaFragment {
    /** tfhd: default-base-is-moof, so data offsets count from this fragment's moof. */
    private static final int DEFAULT_BASE_IS_MOOF = 0x020000;
    /** trun: data offset, and per sample duration, size and flags. */
    private static final int TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400;
    /** sample_depends_on 2: depends on no other picture. */
    private static final int SYNC_SAMPLE = 0x02000000;
    /** sample_depends_on 1 and sample_is_non_sync_sample. */
    private static final int DEPENDENT_SAMPLE = 0x01000000 | 0x00010000;
    private static final int MDAT_HEADER = 8;

    private MediaFragment() {
    }

    static byte[] of(int sequence, long decodeTime, int duration, AccessUnit au, boolean key) {
        int payload = 0;
        for (byte[] nal : au.nalUnits()) {
            payload += carried(au, nal) ? 4 + nal.length : 0;
        }
        BoxWriter out = new BoxWriter(160 + payload);
        out.open("moof");
        out.open("mfhd", 0, 0).u32(sequence).close();
        out.open("traf");
        out.open("tfhd", 0, DEFAULT_BASE_IS_MOOF).u32(InitSegment.TRACK_ID).close();
        out.open("tfdt", 1, 0).u64(decodeTime).close();
        out.open("trun", 0, TRUN_FLAGS).u32(1);
        int dataOffset = out.length();
        out.u32(0).u32(duration).u32(payload).u32(key ? SYNC_SAMPLE : DEPENDENT_SAMPLE).close();
        out.close().close(); // traf, moof
        out.putU32(dataOffset, out.length() + MDAT_HEADER);
        out.open("mdat");
        for (byte[] nal : au.nalUnits()) {
            if (carried(au, nal)) {
                out.u32(nal.length).bytes(nal);
            }
        }
        return out.close().toByteArray();
    }

    private static boolean carried(AccessUnit au, byte[] nal) {
        int type = au.codec().nalType(nal);
        return !au.codec().isAccessUnitDelimiter(type) && !au.codec().parameterSetTypes().contains(type);
    }
}
