package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * RTCP sender report (RFC 3550 6.4.1) followed by the SDES CNAME item that a compound RTCP packet must carry.
 *
 * <p>The NTP time is the capture time of a picture and the RTP time is that picture's RTP timestamp, so the
 * report pins RTP time to capture time. FFmpeg takes the first report's NTP time, less the RTP distance from
 * the first packet, as {@code AVFormatContext.start_time_realtime}; a reader then recovers
 * {@code capture_ts = start_time_realtime / 1000 + pts_ms} for every frame, whenever it joined.
 */
final class SenderReport {
    static final int PACKET_TYPE_SR = 200;
    static final int PACKET_TYPE_SDES = 202;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final byte[] CNAME = "vision-fleet-relay".getBytes(StandardCharsets.US_ASCII);
    private static final int SR_BYTES = 28;

    private SenderReport() {
    }

    /**
     * 64-bit NTP timestamp of {@code epochMs}. The fraction is rounded up so that both ways FFmpeg converts it
     * back ({@code frac * 10^6 / (2^32 - 1)} truncated, and {@code frac * 10^6 / 2^32} rounded) give exactly
     * {@code ms * 1000} microseconds: the capture time survives the trip without a 1 ms truncation error.
     */
    static long ntpTimestamp(long epochMs) {
        long seconds = Math.floorDiv(epochMs, 1000) + NTP_UNIX_OFFSET_SECONDS;
        long millis = Math.floorMod(epochMs, 1000);
        long fraction = ((millis << 32) + 999) / 1000;
        return (seconds << 32) | fraction;
    }

    static ByteBuf encode(ByteBufAllocator alloc, int ssrc, long captureTs, int rtpTimestamp, long packetCount,
                          long octetCount) {
        int sdesItems = 2 + CNAME.length + 1; // CNAME type and length, text, END
        int sdesBytes = 8 + ((sdesItems + 3) & ~3);
        ByteBuf buf = alloc.buffer(SR_BYTES + sdesBytes);
        buf.writeByte(0x80); // V=2, no padding, no report blocks
        buf.writeByte(PACKET_TYPE_SR);
        buf.writeShort(SR_BYTES / 4 - 1);
        buf.writeInt(ssrc);
        buf.writeLong(ntpTimestamp(captureTs));
        buf.writeInt(rtpTimestamp);
        buf.writeInt((int) packetCount);
        buf.writeInt((int) octetCount);

        buf.writeByte(0x81); // V=2, one chunk
        buf.writeByte(PACKET_TYPE_SDES);
        buf.writeShort(sdesBytes / 4 - 1);
        buf.writeInt(ssrc);
        buf.writeByte(1); // CNAME
        buf.writeByte(CNAME.length);
        buf.writeBytes(CNAME);
        buf.writeZero(sdesBytes - 8 - 2 - CNAME.length); // END item and padding to a 32-bit boundary
        return buf;
    }
}
