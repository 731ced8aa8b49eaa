package io.visionfleet.ingest.source;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.NalSplitter;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns demuxed H.264 packets into the NAL units of their access unit. MP4 and other ISO files carry
 * length-prefixed NAL units (AVCC) and keep SPS/PPS in the codec extradata ({@code avcC} record); RTSP and raw
 * {@code .h264} input give Annex-B packets and Annex-B extradata. Either way the relay needs parameter sets in
 * band, so an IDR that comes without them gets the extradata's in front.
 *
 * <p>Hostile input is bounded: lengths that run past the packet, and NAL units over the size limit, make the
 * packet malformed ({@link IllegalArgumentException}) instead of reading out of bounds.
 */
public final class H264PacketConverter {
    private static final int AVCC_VERSION = 1;
    private static final int AVCC_HEADER_BYTES = 6;

    private final int lengthBytes;
    private final List<byte[]> parameterSets;
    private final int maxNalBytes;

    private H264PacketConverter(int lengthBytes, List<byte[]> parameterSets, int maxNalBytes) {
        this.lengthBytes = lengthBytes;
        this.parameterSets = List.copyOf(parameterSets);
        this.maxNalBytes = maxNalBytes;
    }

    /**
     * A converter for a stream with this codec extradata: an {@code avcC} record (first byte 1) means
     * length-prefixed packets, anything else (Annex-B parameter sets, or none) means Annex-B packets.
     */
    public static H264PacketConverter forExtradata(byte[] extradata, int maxNalBytes) {
        if (extradata.length > 0 && extradata[0] == AVCC_VERSION) {
            return parseAvcc(extradata, maxNalBytes);
        }
        return new H264PacketConverter(0, splitAnnexB(extradata, maxNalBytes), maxNalBytes);
    }

    /** Parameter sets from the extradata, in the order they are put before an IDR. */
    public List<byte[]> parameterSets() {
        return parameterSets;
    }

    /** True when packets are length-prefixed (AVCC), false when Annex-B. */
    public boolean lengthPrefixed() {
        return lengthBytes > 0;
    }

    /** The NAL units of one packet, parameter sets first when it is an IDR without them. */
    public List<byte[]> nalUnits(byte[] packet) {
        List<byte[]> nals = lengthPrefixed() ? splitLengthPrefixed(packet) : splitAnnexB(packet, maxNalBytes);
        boolean idr = nals.stream().anyMatch(nal -> AccessUnit.nalType(nal) == AccessUnit.NAL_IDR);
        return idr ? ParameterSets.insert(VideoCodec.H264, nals, parameterSets) : nals;
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

    private static List<byte[]> splitAnnexB(byte[] data, int maxNalBytes) {
        List<byte[]> nals = new ArrayList<>();
        NalSplitter splitter = new NalSplitter(maxNalBytes, (nal, startedMs) -> nals.add(nal));
        splitter.feed(data, 0);
        splitter.flush();
        if (splitter.droppedNals() > 0 || !nals.stream().allMatch(VideoCodec.H264::isValidHeader)) {
            throw new IllegalArgumentException(splitter.droppedNals() + " invalid or oversized NAL units in an Annex-B packet");
        }
        return nals;
    }

    /** ISO/IEC 14496-15 AVCDecoderConfigurationRecord: version, profile, compat, level, length size, SPS*, PPS*. */
    private static H264PacketConverter parseAvcc(byte[] avcc, int maxNalBytes) {
        if (avcc.length < AVCC_HEADER_BYTES) {
            throw new IllegalArgumentException("avcC record of " + avcc.length + " bytes is too short");
        }
        int lengthBytes = (avcc[4] & 0x03) + 1;
        if (lengthBytes == 3) {
            throw new IllegalArgumentException("avcC NAL length size 3 is not allowed");
        }
        List<byte[]> sets = new ArrayList<>();
        int pos = 5;
        int spsCount = avcc[pos++] & 0x1f;
        pos = readParameterSets(avcc, pos, spsCount, sets);
        if (pos >= avcc.length) {
            throw new IllegalArgumentException("avcC record ends before its PPS count");
        }
        int ppsCount = avcc[pos++] & 0xff;
        readParameterSets(avcc, pos, ppsCount, sets);
        return new H264PacketConverter(lengthBytes, sets, maxNalBytes);
    }

    private static int readParameterSets(byte[] avcc, int pos, int count, List<byte[]> into) {
        for (int i = 0; i < count; i++) {
            if (avcc.length - pos < 2) {
                throw new IllegalArgumentException("avcC record ends inside a parameter set length");
            }
            int length = ((avcc[pos] & 0xff) << 8) | (avcc[pos + 1] & 0xff);
            pos += 2;
            if (length == 0 || length > avcc.length - pos) {
                throw new IllegalArgumentException("avcC parameter set length " + length + " runs past the record");
            }
            into.add(copy(avcc, pos, length));
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
