package io.visionfleet.ingest.source;

import io.visionfleet.common.h264.NalSplitter;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns demuxed H.264 or H.265 packets into the NAL units of their access unit. MP4 and other ISO files carry
 * length-prefixed NAL units and keep the parameter sets in the codec extradata (an {@code avcC} or {@code hvcC}
 * record); RTSP and raw {@code .h264}/{@code .h265} input give Annex-B packets and Annex-B extradata. Either way the
 * relay needs parameter sets in band, so a random access point that comes without them gets the extradata's in
 * front.
 *
 * <p>Hostile input is bounded: lengths that run past the packet, and NAL units over the size limit, make the
 * packet malformed ({@link IllegalArgumentException}) instead of reading out of bounds.
 */
public final class PacketConverter {
    /** configurationVersion, the first byte of both records; Annex-B extradata starts with a zero byte instead. */
    private static final int RECORD_VERSION = 1;
    private static final int AVCC_HEADER_BYTES = 6;
    private static final int HVCC_HEADER_BYTES = 23;

    private final VideoCodec codec;
    private final int lengthBytes;
    private final List<byte[]> parameterSets;
    private final int maxNalBytes;

    private PacketConverter(VideoCodec codec, int lengthBytes, List<byte[]> parameterSets, int maxNalBytes) {
        this.codec = codec;
        this.lengthBytes = lengthBytes;
        this.parameterSets = List.copyOf(parameterSets);
        this.maxNalBytes = maxNalBytes;
    }

    /**
     * A converter for a stream of {@code codec} with this extradata: a decoder configuration record (first byte 1)
     * means length-prefixed packets, anything else (Annex-B parameter sets, or none) means Annex-B packets.
     */
    public static PacketConverter forExtradata(VideoCodec codec, byte[] extradata, int maxNalBytes) {
        if (extradata.length > 0 && extradata[0] == RECORD_VERSION) {
            return codec == VideoCodec.H264 ? parseAvcc(extradata, maxNalBytes) : parseHvcc(extradata, maxNalBytes);
        }
        return new PacketConverter(codec, 0, splitAnnexB(codec, extradata, maxNalBytes), maxNalBytes);
    }

    public VideoCodec codec() {
        return codec;
    }

    /** Parameter sets from the extradata, in the order they are put before an IDR. */
    public List<byte[]> parameterSets() {
        return parameterSets;
    }

    /** True when packets are length-prefixed (AVCC), false when Annex-B. */
    public boolean lengthPrefixed() {
        return lengthBytes > 0;
    }

    /** The NAL units of one packet, parameter sets first when it is a random access point without them. */
    public List<byte[]> nalUnits(byte[] packet) {
        List<byte[]> nals = lengthPrefixed() ? splitLengthPrefixed(packet) : splitAnnexB(codec, packet, maxNalBytes);
        boolean randomAccess = nals.stream().anyMatch(nal -> codec.isRandomAccess(codec.nalType(nal)));
        return randomAccess ? ParameterSets.insert(codec, nals, parameterSets) : nals;
    }

    private List<byte[]> splitLengthPrefixed(byte[] packet) {
        List<byte[]> nals = new ArrayList<>();
        int pos = 0;
        while (pos < packet.length) {
            if (packet.length - pos < lengthBytes) {
                throw new IllegalArgumentException("AVCC packet ends inside a NAL length field at byte " + pos);
            }
            long length = 0;
            for (int i = 0; i < lengthBytes; i++) {
                length = (length << 8) | (packet[pos++] & 0xff);
            }
            if (length > packet.length - pos || length > maxNalBytes) {
                throw new IllegalArgumentException("AVCC NAL length " + length + " at byte " + (pos - lengthBytes)
                        + " runs past the packet of " + packet.length + " bytes or the limit of " + maxNalBytes);
            }
            if (length > 0) {
                nals.add(copy(packet, pos, (int) length));
            }
            pos += (int) length;
        }
        return nals;
    }

    private static List<byte[]> splitAnnexB(VideoCodec codec, byte[] data, int maxNalBytes) {
        List<byte[]> nals = new ArrayList<>();
        NalSplitter splitter = new NalSplitter(maxNalBytes, (nal, startedMs) -> nals.add(nal));
        splitter.feed(data, 0);
        splitter.flush();
        if (splitter.droppedNals() > 0 || !nals.stream().allMatch(codec::isValidHeader)) {
            throw new IllegalArgumentException(splitter.droppedNals() + " invalid or oversized NAL units in an Annex-B packet");
        }
        return nals;
    }

    /** The NAL length size a decoder configuration record gives in the low bits of byte {@code at} (1, 2 or 4). */
    private static int nalLengthBytes(String name, byte[] record, int headerBytes, int at) {
        if (record.length < headerBytes) {
            throw new IllegalArgumentException(name + " record of " + record.length + " bytes is too short");
        }
        int lengthBytes = (record[at] & 0x03) + 1;
        if (lengthBytes == 3) {
            throw new IllegalArgumentException(name + " NAL length size 3 is not allowed");
        }
        return lengthBytes;
    }

    /** ISO/IEC 14496-15 AVCDecoderConfigurationRecord: version, profile, compat, level, length size, SPS*, PPS*. */
    private static PacketConverter parseAvcc(byte[] avcc, int maxNalBytes) {
        int lengthBytes = nalLengthBytes("avcC", avcc, AVCC_HEADER_BYTES, 4);
        List<byte[]> sets = new ArrayList<>();
        int pos = 5;
        int spsCount = avcc[pos++] & 0x1f;
        pos = readParameterSets(avcc, pos, spsCount, sets);
        if (pos >= avcc.length) {
            throw new IllegalArgumentException("avcC record ends before its PPS count");
        }
        int ppsCount = avcc[pos++] & 0xff;
        readParameterSets(avcc, pos, ppsCount, sets);
        return new PacketConverter(VideoCodec.H264, lengthBytes, sets, maxNalBytes);
    }

    /**
     * ISO/IEC 14496-15 HEVCDecoderConfigurationRecord: 22 bytes of profile, level and format (the length size in
     * the low bits of the last), then arrays of NAL units by type; the VPS, SPS and PPS are kept, in that order.
     */
    private static PacketConverter parseHvcc(byte[] hvcc, int maxNalBytes) {
        int lengthBytes = nalLengthBytes("hvcC", hvcc, HVCC_HEADER_BYTES, 21);
        List<byte[]> nals = new ArrayList<>();
        int pos = HVCC_HEADER_BYTES;
        for (int array = 0, arrays = hvcc[22] & 0xff; array < arrays; array++) {
            if (hvcc.length - pos < 3) {
                throw new IllegalArgumentException("hvcC record ends inside an array header");
            }
            int count = ((hvcc[pos + 1] & 0xff) << 8) | (hvcc[pos + 2] & 0xff);
            pos = readParameterSets(hvcc, pos + 3, count, nals);
        }
        List<byte[]> sets = new ArrayList<>();
        for (int type : VideoCodec.H265.parameterSetTypes()) {
            nals.stream().filter(nal -> VideoCodec.H265.nalType(nal) == type).forEach(sets::add);
        }
        return new PacketConverter(VideoCodec.H265, lengthBytes, sets, maxNalBytes);
    }

    /** {@code count} NAL units, each after its 16-bit length, as both records hold them. */
    private static int readParameterSets(byte[] record, int pos, int count, List<byte[]> into) {
        for (int i = 0; i < count; i++) {
            if (record.length - pos < 2) {
                throw new IllegalArgumentException("configuration record ends inside a parameter set length");
            }
            int length = ((record[pos] & 0xff) << 8) | (record[pos + 1] & 0xff);
            pos += 2;
            if (length == 0 || length > record.length - pos) {
                throw new IllegalArgumentException("configuration record parameter set length " + length
                        + " runs past the record");
            }
            into.add(copy(record, pos, length));
            pos += length;
        }
        return pos;
    }

    private static byte[] copy(byte[] from, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(from, offset, out, 0, length);
        return out;
    }
}
