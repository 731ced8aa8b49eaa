package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One playing RTSP session: writes access units to its connection as interleaved RTP, preceded by RTCP sender
 * reports; each picture goes out as one burst whose packets share the stream's payload buffers. Its queue is the channel's outbound buffer, bounded by the write-buffer high-water mark: when the
 * channel is not writable the reader loses whole access units (see {@link ReaderGate}) and the producer never
 * waits. Called only with the stream's lock held, so the counters need no further guarding.
 */
final class RelayReader {
    private static final int RTP_HEADER_BYTES = 12;
    /** Interleaved prefix ({@code $}, channel, length) and RTP header, written in front of each shared payload. */
    private static final int FRAMED_HEADER_BYTES = 4 + RTP_HEADER_BYTES;

    private final String id;
    private final Channel channel;
    private final int rtpChannel;
    private final int rtcpChannel;
    private final int ssrc;
    private final long senderReportIntervalNanos;
    private final ReaderGate gate = new ReaderGate();
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private boolean reported;
    private long lastReportNanos;
    private long accessUnitsSent;
    private long packetsSent;
    private long bytesSent;

    RelayReader(String id, Channel channel, int rtpChannel, int rtcpChannel, int ssrc, long senderReportIntervalNanos) {
        this.id = id;
        this.channel = channel;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
        this.ssrc = ssrc;
        this.senderReportIntervalNanos = senderReportIntervalNanos;
    }

    String id() {
        return id;
    }

    Channel channel() {
        return channel;
    }

    /** Writes {@code au} unless the reader must skip it; never blocks. */
    void offer(PacketizedAccessUnit au, long nowNanos) {
        if (!gate.admit(au.idr(), channel.isWritable())) {
            return;
        }
        if (!reported || nowNanos - lastReportNanos >= senderReportIntervalNanos) {
            // the report precedes the picture it describes, so the very first thing a reader gets is the mapping
            ByteBuf report = SenderReport.encode(channel.alloc(), ssrc, au.captureTs(), au.rtpTimestamp(),
                    packetsSent, bytesSent);
            channel.write(new InterleavedFrame(rtcpChannel, report), channel.voidPromise());
            reported = true;
            lastReportNanos = nowNanos;
        }
        int last = au.packetCount() - 1;
        CompositeByteBuf burst = channel.alloc().compositeDirectBuffer(2 * au.packetCount());
        ByteBuf headers = channel.alloc().directBuffer(FRAMED_HEADER_BYTES * au.packetCount());
        for (int i = 0; i <= last; i++) {
            ByteBuf payload = au.retainedPayload(i);
            ByteBuf header = headers.retainedSlice(i * FRAMED_HEADER_BYTES, FRAMED_HEADER_BYTES).clear();
            header.writeByte('$').writeByte(rtpChannel).writeShort(RTP_HEADER_BYTES + payload.readableBytes());
            header.writeByte(0x80); // V=2, no padding, extension or CSRC
            header.writeByte((i == last ? 0x80 : 0) | SessionDescription.PAYLOAD_TYPE); // marker ends the picture
            header.writeShort(sequence);
            header.writeInt(au.rtpTimestamp());
            header.writeInt(ssrc);
            sequence = (sequence + 1) & 0xffff;
            burst.addComponents(true, header, payload);
        }
        headers.release(); // the slices in the burst hold it now
        channel.writeAndFlush(new InterleavedBurst(burst), channel.voidPromise());
        accessUnitsSent++;
        packetsSent += au.packetCount();
        bytesSent += au.payloadBytes();
    }

    RelayStats.Reader stats() {
        return new RelayStats.Reader(id, describe(channel.remoteAddress()), gate.state().name().toLowerCase(Locale.ROOT),
                accessUnitsSent, bytesSent, gate.dropped(), queuedBytes());
    }

    /** The pending-bytes counter of Netty's outbound buffer is updated atomically, so any thread may read it. */
    private long queuedBytes() {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        return queue == null ? 0 : queue.totalPendingWriteBytes();
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
