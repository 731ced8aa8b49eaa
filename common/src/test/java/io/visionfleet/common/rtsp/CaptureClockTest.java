package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture-time arithmetic against a model of what FFmpeg's RTSP demuxer does with the relay's timestamps
 * (rtpdec.c: base timestamp, RTCP sender report; rtsp.c: start_time_realtime) and what JavaCV makes of the pts.
 */
@Tag("quick")
class CaptureClockTest {
    private static final long NTP_UNIX_OFFSET_S = 2_208_988_800L;
    private static final long CAPTURE_T0_MS = 1_763_750_000_123L;

    /** The relay's mapping: RTP = offset + captureTs * 90, modulo 2^32. */
    private static long rtp(long offset, long captureTs) {
        return (offset + captureTs * 90) & 0xFFFF_FFFFL;
    }

    /** The relay's sender-report NTP time for a capture time (64-bit fixed point seconds since 1900). */
    private static long ntp(long captureTs) {
        long seconds = Math.floorDiv(captureTs, 1000) + NTP_UNIX_OFFSET_S;
        long fraction = Math.round((Math.floorMod(captureTs, 1000) / 1000.0) * 4294967296.0);
        return (seconds << 32) + fraction;
    }

    /** FFmpeg's av_rescale(a, b, c): a*b/c rounded to nearest, half away from zero. */
    private static long rescale(long a, long b, long c) {
        return new BigDecimal(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)))
                .divide(new BigDecimal(c), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** One reader's view: which RTP time its pts 0 is, and the start_time_realtime FFmpeg derives. */
    private record Reader(long baseRtp, long startTimeRealtimeUs) {
        /** pts of a packet (90 kHz), unwrapped relative to the base, then in microseconds as JavaCV truncates it. */
        long ptsUs(long rtp) {
            long pts = (int) (rtp - baseRtp); // FFmpeg unwraps 32-bit differences the same way
            return CaptureClock.ptsMicros(pts, 1, 90_000);
        }
    }

    /**
     * @param firstRtp RTP time of the first packet the reader gets
     * @param srRtp    RTP time in the first sender report the reader gets
     * @param srNtp    NTP time in that report
     * @param srFirst  whether the report arrives before the first packet (what the relay does)
     */
    private static Reader reader(long firstRtp, long srRtp, long srNtp, boolean srFirst) {
        long base = srFirst ? srRtp : firstRtp;
        long rtcpTsOffset = (int) (srRtp - base);
        long start = rescale(srNtp - (NTP_UNIX_OFFSET_S << 32), 1_000_000, 1L << 32)
                - rescale(rtcpTsOffset, 1_000_000, 90_000);
        return new Reader(base, start);
    }

    @Test
    void ptsZeroMapsToStartTimeRealtime() {
        assertThat(CaptureClock.captureTs(1_763_750_000_123_000L, 0)).isEqualTo(1_763_750_000_123L);
        assertThat(CaptureClock.captureTs(1_763_750_000_123_000L, 33_366)).isEqualTo(1_763_750_000_156L);
        assertThat(CaptureClock.captureTs(1_763_750_000_123_000L, 33_499)).isEqualTo(1_763_750_000_156L);
        assertThat(CaptureClock.captureTs(1_763_750_000_123_000L, 33_500)).isEqualTo(1_763_750_000_157L);
        assertThat(CaptureClock.captureTs(1_763_750_000_123_000L, -40_000)).isEqualTo(1_763_750_000_083L);
    }

    @Test
    void ptsMicrosTruncatesLikeJavaCv() {
        assertThat(CaptureClock.ptsMicros(3003, 1, 90_000)).isEqualTo(33_366);
        assertThat(CaptureClock.ptsMicros(-3003, 1, 90_000)).isEqualTo(-33_366);
    }

    @Test
    void noSenderReportMeansNoAnchor() {
        assertThat(CaptureClock.hasRealtimeAnchor(avutil.AV_NOPTS_VALUE)).isFalse();
        assertThat(CaptureClock.hasRealtimeAnchor(1_763_750_000_123_000L)).isTrue();
    }

    @Test
    void readersThatJoinedAtDifferentTimesAgreeOnEveryFramesCaptureTime() {
        long offset = 0xFFFF_0000L; // the RTP clock wraps 32 bits during the stream
        // frames at an uneven ~30 fps, as a phone delivers them
        long[] capture = new long[300];
        for (int i = 0; i < capture.length; i++) {
            capture[i] = CAPTURE_T0_MS + i * 33L + (i % 3 == 0 ? 1 : 0);
        }
        // reader A joins at frame 0, its sender report (at frame 0's time) before the first packet;
        // reader B joins at frame 120 but is first served a cached GOP from frame 90, and its report is for "now"
        Reader a = reader(rtp(offset, capture[0]), rtp(offset, capture[0]), ntp(capture[0]), true);
        Reader b = reader(rtp(offset, capture[90]), rtp(offset, capture[120]), ntp(capture[120]), true);
        // reader C gets its first packet before any report (another server's order)
        Reader c = reader(rtp(offset, capture[200]), rtp(offset, capture[230]), ntp(capture[230]), false);

        for (int i = 0; i < capture.length; i++) {
            long rtp = rtp(offset, capture[i]);
            assertThat(CaptureClock.captureTs(a.startTimeRealtimeUs(), a.ptsUs(rtp))).as("A frame %d", i).isEqualTo(capture[i]);
            if (i >= 90) {
                assertThat(CaptureClock.captureTs(b.startTimeRealtimeUs(), b.ptsUs(rtp))).as("B frame %d", i).isEqualTo(capture[i]);
            }
            if (i >= 200) {
                assertThat(CaptureClock.captureTs(c.startTimeRealtimeUs(), c.ptsUs(rtp))).as("C frame %d", i).isEqualTo(capture[i]);
            }
        }
        assertThat(b.ptsUs(rtp(offset, capture[90]))).as("cached frames precede the report: negative pts").isNegative();
    }

    @Test
    void theLowDelaySessionsTimelineIsFfmpegsToTheMicrosecond() {
        long offset = 0xFFFF_0000L;
        long[] capture = new long[120];
        for (int i = 0; i < capture.length; i++) {
            capture[i] = CAPTURE_T0_MS + i * 33L + (i % 3 == 0 ? 1 : 0);
        }
        for (boolean srFirst : new boolean[] {true, false}) {
            RtpTimeline timeline = new RtpTimeline();
            long srRtp = rtp(offset, capture[srFirst ? 0 : 10]);
            Reader ffmpeg = reader(rtp(offset, capture[0]), srRtp, ntp(capture[srFirst ? 0 : 10]), srFirst);
            if (srFirst) {
                timeline.senderReport(ntp(capture[0]), srRtp);
            }
            for (int i = 0; i < capture.length; i++) {
                if (!srFirst && i == 10) {
                    timeline.senderReport(ntp(capture[10]), srRtp);
                }
                long rtp = rtp(offset, capture[i]);
                assertThat(RtpTimeline.ptsMicros(timeline.pts(rtp))).as("pts of frame %d", i).isEqualTo(ffmpeg.ptsUs(rtp));
            }
            assertThat(timeline.startTimeRealtimeUs()).as("anchor, report first: %s", srFirst)
                    .isEqualTo(ffmpeg.startTimeRealtimeUs());
            timeline.senderReport(ntp(capture[100]), rtp(offset, capture[100]));
            assertThat(timeline.startTimeRealtimeUs()).as("later reports do not move it").isEqualTo(ffmpeg.startTimeRealtimeUs());
        }
    }
}
