package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;

import java.util.List;

/**
 * RFC 6184 packetization (non-interleaved mode): a NAL unit that fits in one packet travels as a single NAL
 * unit packet, a larger one as FU-A fragments. Every IDR is preceded by SPS and PPS so that a reader can start
 * or resynchronise at any IDR, even when the source sends its parameter sets only once.
 */
final class H264Packetizer {
    /**
     * Largest RTP payload. Keeps packets within a 1500-byte MTU should they ever go over UDP, and far below the
     * interleaved packet size clients accept (FFmpeg drops packets above 80 KiB).
     */
    static final int MAX_PAYLOAD = 1400;
    static final int NAL_FU_A = 28;
    private static final int FU_HEADER_BYTES = 2;

    private final ByteBufAllocator alloc;

    H264Packetizer(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * Packetizes {@code au}; when it is an IDR lacking SPS or PPS, those of {@code parameterSets} are put in front
     * of its first slice.
     */
    PacketizedAccessUnit packetize(AccessUnit au, ParameterSets parameterSets, int rtpTimestamp) {
        boolean idr = au.isIdr();
        List<byte[]> nals = parameterSets == null ? au.nalUnits() : parameterSets.completing(au).nalUnits();
        int packets = 0;
        int bytes = 0;
        for (byte[] nal : nals) {
            int fragments = fragmentCount(nal.length);
            packets += fragments;
            bytes += fragments == 1 ? nal.length : nal.length - 1 + fragments * FU_HEADER_BYTES;
        }
        ByteBuf payloads = alloc.directBuffer(bytes, bytes);
        int[] ends = new int[packets];
        int packet = 0;
        for (byte[] nal : nals) {
            if (nal.length <= MAX_PAYLOAD) {
                payloads.writeBytes(nal);
                ends[packet++] = payloads.writerIndex();
                continue;
            }
            int indicator = (nal[0] & 0xe0) | NAL_FU_A; // forbidden bit and NRI of the fragmented NAL unit
            int type = nal[0] & 0x1f;
            int offset = 1; // the NAL header byte is not sent: the FU indicator and header carry it
            while (offset < nal.length) {
                int chunk = Math.min(MAX_PAYLOAD - FU_HEADER_BYTES, nal.length - offset);
                int fuHeader = type;
                if (offset == 1) {
                    fuHeader |= 0x80; // start
                }
                if (offset + chunk == nal.length) {
                    fuHeader |= 0x40; // end
                }
                payloads.writeByte(indicator).writeByte(fuHeader).writeBytes(nal, offset, chunk);
                ends[packet++] = payloads.writerIndex();
                offset += chunk;
            }
        }
        return new PacketizedAccessUnit(payloads, ends, au.captureTs(), rtpTimestamp, idr,
                nals == au.nalUnits() ? au : new AccessUnit(nals, au.captureTs()));
    }

    private static int fragmentCount(int nalLength) {
        if (nalLength <= MAX_PAYLOAD) {
            return 1;
        }
        int perFragment = MAX_PAYLOAD - FU_HEADER_BYTES;
        return (nalLength - 1 + perFragment - 1) / perFragment;
    }
}
