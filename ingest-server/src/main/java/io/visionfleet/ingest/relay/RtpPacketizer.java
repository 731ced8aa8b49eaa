package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * RTP packetization of H.264 (RFC 6184, non-interleaved mode) and H.265 (RFC 7798, no DONL): a NAL unit that fits
 * in one packet travels as a single NAL unit packet, a larger one as fragmentation units (H.264 FU-A, H.265 FU),
 * and H.265's VPS, SPS and PPS in front of a picture share one aggregation packet. Every random access point is
 * preceded by the stream's parameter sets so that a reader can start or resynchronise there, even when the source
 * sends them only once.
 */
final class RtpPacketizer {
    /**
     * Largest RTP payload. Keeps packets within a 1500-byte MTU should they ever go over UDP, and far below the
     * interleaved packet size clients accept (FFmpeg drops packets above 80 KiB).
     */
    static final int MAX_PAYLOAD = 1400;
    static final int NAL_FU_A = 28;
    static final int H265_AP = 48;
    static final int H265_FU = 49;
    /** An aggregation packet's NAL units are each preceded by a 16-bit size (RFC 7798 4.4.2). */
    private static final int AP_SIZE_BYTES = 2;

    private final ByteBufAllocator alloc;

    RtpPacketizer(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * Packetizes {@code au}; when it is a random access point lacking parameter sets, those of {@code parameterSets}
     * are put in front of its first slice.
     */
    PacketizedAccessUnit packetize(AccessUnit au, ParameterSets parameterSets, int rtpTimestamp) {
        boolean idr = au.isIdr();
        AccessUnit sent = parameterSets == null ? au : parameterSets.completing(au);
        List<List<byte[]>> packets = plan(sent);
        int count = 0;
        int bytes = 0;
        for (List<byte[]> packet : packets) {
            if (packet.size() > 1) {
                count++;
                bytes += aggregateBytes(packet);
                continue;
            }
            byte[] nal = packet.get(0);
            int fragments = fragmentCount(au.codec(), nal.length);
            count += fragments;
            bytes += fragments == 1 ? nal.length : nal.length - au.codec().headerBytes() + fragments * fuOverhead(au.codec());
        }
        ByteBuf payloads = alloc.directBuffer(bytes, bytes);
        int[] ends = new int[count];
        int packet = 0;
        for (List<byte[]> nals : packets) {
            if (nals.size() > 1) {
                writeAggregate(payloads, nals);
                ends[packet++] = payloads.writerIndex();
            } else if (nals.get(0).length <= MAX_PAYLOAD) {
                payloads.writeBytes(nals.get(0));
                ends[packet++] = payloads.writerIndex();
            } else {
                packet = writeFragments(payloads, au.codec(), nals.get(0), ends, packet);
            }
        }
        return new PacketizedAccessUnit(payloads, ends, au.captureTs(), rtpTimestamp, idr, sent);
    }

    /** The NAL units of each packet: one each, except consecutive H.265 parameter sets that fit in one packet. */
    private static List<List<byte[]>> plan(AccessUnit au) {
        VideoCodec codec = au.codec();
        List<List<byte[]>> packets = new ArrayList<>(au.nalUnits().size());
        List<byte[]> aggregate = null;
        for (byte[] nal : au.nalUnits()) {
            boolean aggregable = codec == VideoCodec.H265 && codec.parameterSetTypes().contains(codec.nalType(nal));
            if (aggregable && aggregate != null && aggregateBytes(aggregate) + AP_SIZE_BYTES + nal.length <= MAX_PAYLOAD) {
                aggregate.add(nal);
                continue;
            }
            aggregate = aggregable ? new ArrayList<>(List.of(nal)) : null;
            packets.add(aggregate == null ? List.of(nal) : aggregate);
        }
        return packets;
    }

    private static int aggregateBytes(List<byte[]> nals) {
        int bytes = 2; // the payload header
        for (byte[] nal : nals) {
            bytes += AP_SIZE_BYTES + nal.length;
        }
        return bytes;
    }

    /**
     * RFC 7798 4.4.2: a payload header of type 48 whose F bit is the OR of the units', layer id the lowest and
     * TID the lowest of theirs, then each unit after its size.
     */
    private static void writeAggregate(ByteBuf out, List<byte[]> nals) {
        int forbidden = 0;
        int layerId = 63;
        int tid = 7;
        for (byte[] nal : nals) {
            forbidden |= nal[0] & 0x80;
            layerId = Math.min(layerId, ((nal[0] & 0x01) << 5) | ((nal[1] & 0xff) >> 3));
            tid = Math.min(tid, nal[1] & 0x07);
        }
        out.writeByte(forbidden | (H265_AP << 1) | (layerId >> 5)).writeByte(((layerId & 0x1f) << 3) | tid);
        for (byte[] nal : nals) {
            out.writeShort(nal.length).writeBytes(nal);
        }
    }

    /**
     * Writes {@code nal} as fragmentation units: the original header is not sent, the payload header carries it with
     * the FU type (H.264: forbidden bit and NRI; H.265: forbidden bit, layer id and TID), and the FU header the
     * start and end bits and the original type.
     */
    private static int writeFragments(ByteBuf out, VideoCodec codec, byte[] nal, int[] ends, int packet) {
        int header = codec.headerBytes();
        int type = codec.nalType(nal);
        int offset = header;
        while (offset < nal.length) {
            int chunk = Math.min(MAX_PAYLOAD - fuOverhead(codec), nal.length - offset);
            int fuHeader = type;
            if (offset == header) {
                fuHeader |= 0x80; // start
            }
            if (offset + chunk == nal.length) {
                fuHeader |= 0x40; // end
            }
            if (codec == VideoCodec.H264) {
                out.writeByte((nal[0] & 0xe0) | NAL_FU_A);
            } else {
                out.writeByte((nal[0] & 0x81) | (H265_FU << 1)).writeByte(nal[1]);
            }
            out.writeByte(fuHeader).writeBytes(nal, offset, chunk);
            ends[packet++] = out.writerIndex();
            offset += chunk;
        }
        return packet;
    }

    /** Payload header and FU header: 2 bytes for H.264, 3 for H.265. */
    private static int fuOverhead(VideoCodec codec) {
        return codec.headerBytes() + 1;
    }

    private static int fragmentCount(VideoCodec codec, int nalLength) {
        if (nalLength <= MAX_PAYLOAD) {
            return 1;
        }
        int perFragment = MAX_PAYLOAD - fuOverhead(codec);
        int body = nalLength - codec.headerBytes();
        return (body + perFragment - 1) / perFragment;
    }
}
