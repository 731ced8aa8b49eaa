package io.visionfleet.common.rtsp;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Presentation times and wall-clock anchor of one RTP session at 90 kHz, computed exactly as FFmpeg's RTSP demuxer
 * does (see {@link CaptureClock}), so that a picture read here gets the same {@code capture_ts} as the same picture
 * read through FFmpeg by another consumer. The origin is the RTP time of whichever came first, the first sender
 * report or the first packet; pts is the unwrapped RTP time since then; {@code start_time_realtime} is the first
 * report's NTP time less the report's own pts.
 */
final class RtpTimeline {
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final long CLOCK_RATE = 90_000;
    private static final long UNSET = -1;

    private long origin = UNSET;
    private long last = UNSET;
    private long unwrapped;
    private long startTimeRealtimeUs = AV_NOPTS_VALUE;

    /** A sender report pairing NTP time (64-bit fixed point) with RTP time; only the first one anchors. */
    void senderReport(long ntpTime, long rtpTime) {
        if (startTimeRealtimeUs != AV_NOPTS_VALUE) {
            return;
        }
        if (origin == UNSET) {
            origin = rtpTime;
        }
        startTimeRealtimeUs = ntpToUnixMicros(ntpTime) - ticksToMicrosRounded((int) (rtpTime - origin));
    }

    /** Presentation time, in 90 kHz ticks, of a packet with RTP time {@code rtpTime} (32 bits, unsigned). */
    long pts(long rtpTime) {
        if (origin == UNSET) {
            origin = rtpTime;
        }
        unwrapped = last == UNSET ? rtpTime : unwrapped + (int) (rtpTime - last);
        last = rtpTime;
        return unwrapped - origin;
    }

    /** Pts in microseconds, truncated as JavaCV does. */
    static long ptsMicros(long pts) {
        return CaptureClock.ptsMicros(pts, 1, (int) CLOCK_RATE);
    }

    /** Wall-clock time of pts 0 in epoch microseconds, or {@code AV_NOPTS_VALUE} before the first sender report. */
    long startTimeRealtimeUs() {
        return startTimeRealtimeUs;
    }

    /** NTP time to Unix microseconds, rounded to the nearest as FFmpeg's {@code av_rescale}. */
    static long ntpToUnixMicros(long ntpTime) {
        long sinceUnix = ntpTime - (NTP_UNIX_OFFSET_SECONDS << 32);
        long fraction = sinceUnix & 0xFFFF_FFFFL;
        return (sinceUnix >> 32) * 1_000_000L + ((fraction * 1_000_000L + (1L << 31)) >>> 32);
    }

    /** Ticks to microseconds, halves rounded away from zero as FFmpeg's {@code av_rescale_q}. */
    private static long ticksToMicrosRounded(long ticks) {
        long scaled = Math.abs(ticks) * 1_000_000L;
        long micros = (scaled + CLOCK_RATE / 2) / CLOCK_RATE;
        return ticks < 0 ? -micros : micros;
    }
}
