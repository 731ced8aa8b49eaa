package io.visionfleet.ingest.fmp4;

import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.util.List;

/**
 * The initialization segment of a one-track fragmented MP4 (ISO/IEC 14496-12 8.8; the byte stream format of Media
 * Source Extensions): {@code ftyp} and a {@code moov} with no samples of its own, whose sample entry is {@code avc1}
 * with an {@code avcC} record or {@code hvc1} with an {@code hvcC} record (ISO/IEC 14496-15 5.3.3, 8.3.3), so the
 * parameter sets travel here and not in the samples.
 */
final class InitSegment {
    static final int TRACK_ID = 1;
    private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
    private static final int LANGUAGE_UNDETERMINED = 0x55c4; // "und", packed ISO 639-2/T
    private static final int NAL_LENGTH_BYTES = 4;

    private InitSegment() {
    }

    static byte[] of(ParameterSets sets, SpsSummary sps, int timescale) {
        BoxWriter out = new BoxWriter(1024);
        out.open("ftyp").fourCc("isom").u32(0x200).fourCc("iso6").fourCc("isom").fourCc("mp41").close();
        out.open("moov");
        out.open("mvhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0).u32(0x00010000).u16(0x0100).zeros(10);
        matrix(out).zeros(24).u32(TRACK_ID + 1).close();
        out.open("trak");
        out.open("tkhd", 0, 3).u32(0).u32(0).u32(TRACK_ID).u32(0).u32(0).zeros(8).u16(0).u16(0).u16(0).u16(0);
        matrix(out).u32((long) sps.width() << 16).u32((long) sps.height() << 16).close();
        out.open("mdia");
        out.open("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0).u16(LANGUAGE_UNDETERMINED).u16(0).close();
        out.open("hdlr", 0, 0).u32(0).fourCc("vide").zeros(12).fourCc("video").u8(0).close();
        out.open("minf");
        out.open("vmhd", 0, 1).zeros(8).close();
        out.open("dinf").open("dref", 0, 0).u32(1).open("url ", 0, 1).close().close().close();
        out.open("stbl");
        sampleEntry(out, sets, sps);
        out.open("stts", 0, 0).u32(0).close();
        out.open("stsc", 0, 0).u32(0).close();
        out.open("stsz", 0, 0).u32(0).u32(0).close();
        out.open("stco", 0, 0).u32(0).close();
        out.close().close().close().close(); // stbl, minf, mdia, trak
        out.open("mvex").open("trex", 0, 0).u32(TRACK_ID).u32(1).u32(0).u32(0).u32(0).close().close();
        out.close(); // moov
        return out.toByteArray();
    }

    private static BoxWriter matrix(BoxWriter out) {
        for (int value : UNITY_MATRIX) {
            out.u32(Integer.toUnsignedLong(value));
        }
        return out;
    }

    /** The visual sample entry (14496-12 12.1.3) with its decoder configuration record. */
    private static void sampleEntry(BoxWriter out, ParameterSets sets, SpsSummary sps) {
        out.open("stsd", 0, 0).u32(1);
        out.open(sets.codec() == VideoCodec.H264 ? "avc1" : "hvc1").zeros(6).u16(1).zeros(16)
                .u16(sps.width()).u16(sps.height()).u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32)
                .u16(0x0018).u16(0xffff);
        if (sets.codec() == VideoCodec.H264) {
            avcC(out, sets);
        } else {
            hvcC(out, sets, sps);
        }
        out.close().close();
    }

    private static void avcC(BoxWriter out, ParameterSets sets) {
        byte[] sps = sets.sps();
        out.open("avcC").u8(1).u8(sps[1]).u8(sps[2]).u8(sps[3]).u8(0xfc | (NAL_LENGTH_BYTES - 1));
        out.u8(0xe0 | 1).u16(sps.length).bytes(sps).u8(1).u16(sets.pps().length).bytes(sets.pps()).close();
    }

    private static void hvcC(BoxWriter out, ParameterSets sets, SpsSummary sps) {
        out.open("hvcC").u8(1).bytes(sps.profileTierLevel())
                .u16(0xf000) // min_spatial_segmentation_idc 0: unknown
                .u8(0xfc) // parallelismType 0: unknown
                .u8(0xfc | sps.chromaFormat()).u8(0xf8 | (sps.bitDepthLuma() - 8)).u8(0xf8 | (sps.bitDepthChroma() - 8))
                .u16(0) // avgFrameRate: unknown
                .u8(Math.min(sps.subLayers(), 7) << 3 | (sps.temporalIdNesting() ? 4 : 0) | (NAL_LENGTH_BYTES - 1));
        List<byte[]> arrays = sets.sets(); // VPS, SPS, PPS
        out.u8(arrays.size());
        for (byte[] nal : arrays) {
            out.u8(0x80 | sets.codec().nalType(nal)).u16(1).u16(nal.length).bytes(nal); // complete: none in band
        }
        out.close();
    }
}
