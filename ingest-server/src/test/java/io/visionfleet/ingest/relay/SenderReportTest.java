package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class SenderReportTest {

    @Test
    void encodesSenderReportAndCnameAsOneCompoundPacket() {
        long captureTs = 1_700_000_000_123L;
        ByteBuf sr = SenderReport.encode(UnpooledByteBufAllocator.DEFAULT, 0x11223344, captureTs, 0xaabbccdd, 7, 1234);

        assertThat(sr.getUnsignedByte(0)).isEqualTo((short) 0x80);
        assertThat(sr.getUnsignedByte(1)).isEqualTo((short) 200);
        assertThat(sr.getUnsignedShort(2)).as("length in 32-bit words minus one").isEqualTo(6);
        assertThat(sr.getInt(4)).isEqualTo(0x11223344);
        assertThat(sr.getUnsignedInt(8)).as("NTP seconds since 1900").isEqualTo(1_700_000_000L + 2_208_988_800L);
        assertThat(sr.getUnsignedInt(12)).as("ceil(123 * 2^32 / 1000)").isEqualTo(528_280_978L);
        assertThat(sr.getInt(16)).isEqualTo(0xaabbccdd);
        assertThat(sr.getInt(20)).isEqualTo(7);
        assertThat(sr.getInt(24)).isEqualTo(1234);

        assertThat(sr.getUnsignedByte(28)).isEqualTo((short) 0x81);
        assertThat(sr.getUnsignedByte(29)).isEqualTo((short) 202);
        int sdesWords = sr.getUnsignedShort(30) + 1;
        assertThat(sr.readableBytes()).isEqualTo(28 + sdesWords * 4);
        assertThat(sr.getInt(32)).isEqualTo(0x11223344);
        assertThat(sr.getUnsignedByte(36)).as("CNAME item").isEqualTo((short) 1);
        int length = sr.getUnsignedByte(37);
        assertThat(sr.toString(38, length, StandardCharsets.US_ASCII)).isEqualTo("vision-fleet-relay");
        assertThat(sr.getByte(38 + length)).as("END item").isZero();
        sr.release();
    }

    @Test
    void everyMillisecondSurvivesBothWaysFfmpegReadsNtpTime() {
        for (long ms = 0; ms < 1000; ms++) {
            long ntp = SenderReport.ntpTimestamp(1_700_000_000_000L + ms);
            long fraction = ntp & 0xffffffffL;
            // ff_parse_ntp_time: truncating division by 2^32 - 1
            assertThat(fraction * 1_000_000 / 0xffffffffL).as("ms %d", ms).isEqualTo(ms * 1000);
            // rtsp.c start_time_realtime: av_rescale(ntp - (NTP_OFFSET << 32), 1000000, 1 << 32), rounding to nearest
            assertThat(avRescale(ntp - (SenderReport.NTP_UNIX_OFFSET_SECONDS << 32), 1_000_000, 1L << 32))
                    .isEqualTo((1_700_000_000_000L + ms) * 1000);
        }
    }

    /**
     * What a reader computes: FFmpeg sets start_time_realtime from the first report and pts from the RTP distance
     * to the report (JavaCV turns pts into microseconds by truncating division). Every frame must map back to its
     * capture time, including across a wrap of the 32-bit RTP clock.
     */
    @Test
    void readersRecoverCaptureTimeFromTheFirstReport() {
        long firstCapture = 1_700_000_000_000L;
        RtpClock clock = new RtpClock(0x5eed1234);
        RtpClock wrapping = new RtpClock((int) -(firstCapture * 90 + 90_000)); // wraps one second in
        for (RtpClock c : new RtpClock[]{clock, wrapping}) {
            long ntp = SenderReport.ntpTimestamp(firstCapture);
            long startTimeRealtimeUs = avRescale(ntp - (SenderReport.NTP_UNIX_OFFSET_SECONDS << 32), 1_000_000, 1L << 32);
            int base = c.rtpTimestamp(firstCapture);
            for (long capture = firstCapture; capture < firstCapture + 3000; capture += 33) {
                long pts = c.rtpTimestamp(capture) - base; // int arithmetic wraps exactly like FFmpeg's int32 delta
                long timestampUs = 1_000_000L * pts / 90_000;
                assertThat(startTimeRealtimeUs / 1000 + timestampUs / 1000).isEqualTo(capture);
            }
        }
    }

    private static long avRescale(long a, long b, long c) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).add(BigInteger.valueOf(c / 2))
                .divide(BigInteger.valueOf(c)).longValueExact();
    }
}
