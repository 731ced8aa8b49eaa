package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One playing RTSP session: writes access units to its connection as interleaved RTP, preceded by RTCP sender
 * reports. Its queue is the channel's outbound buffer, bounded by the write-buffer high-water mark: when the
 * channel is not writable the reader loses whole access units (see {@link ReaderGate}) and the producer never
 * waits. Called only with the stream's lock held, so the counters need no further guarding.
 */
final class RelayReader {
    private static final int RTP_HEADER_BYTES = 12;

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
            ByteBuf report = SenderReport.encode(channel.alloc(), ssrc, au.captureMs(), au.rtpTimestamp(),
                    packetsSent, bytesSent);
            channel.write(new InterleavedFrame(rtcpChannel, report), channel.voidPromise());
            reported = true;
            lastReportNanos = nowNanos;
        }
        int last = au.packetCount() - 1;
        for (int i = 0; i <= last; i++) {
            ByteBuf header = channel.alloc().buffer(RTP_HEADER_BYTES);
            header.writeByte(0x80); // V=2, no padding, extension or CSRC
            header.writeByte((i == last ? 0x80 : 0) | SessionDescription.PAYLOAD_TYPE); // marker ends the picture
            header.writeShort(sequence);
            header.writeInt(au.rtpTimestamp());
            header.writeInt(ssrc);
            sequence = (sequence + 1) & 0xffff;
            ByteBuf packet = channel.alloc().compositeDirectBuffer(2).addComponents(true, header, au.retainedPayload(i));
            channel.write(new InterleavedFrame(rtpChannel, packet), channel.voidPromise());
        }
        channel.flush();
        accessUnitsSent++;
        packetsSent += au.packetCount();
        bytesSent += au.payloadBytes();
    }

    RelayStats.Reader stats() {
        return new RelayStats.Reader(id, describe(channel.remoteAddress()), gate.state().name().toLowerCase(Locale.ROOT),
                accessUnitsSent, bytesSent, gate.dropped());
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
