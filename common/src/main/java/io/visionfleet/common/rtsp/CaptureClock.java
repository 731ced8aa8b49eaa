package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * Maps a frame's presentation time to its capture time in epoch milliseconds, the join key between services.
 *
 * <p>The relay's RTCP sender reports pair RTP time with capture time (RTP = offset + captureTs * 90). FFmpeg's
 * RTSP demuxer turns the first report into {@code AVFormatContext.start_time_realtime}: the wall-clock time, in
 * microseconds since the Unix epoch, of presentation time 0. With one stream, FFmpeg's presentation time is the
 * RTP time minus the RTP time of that origin, so {@code capture = start_time_realtime + pts}. Each reader has its
 * own origin (whichever came first, its first report or its first packet), and the sum cancels it out: readers
 * that joined at different times compute the same value. JavaCV's {@code Frame.timestamp} is that pts in
 * microseconds, without any start-time subtraction.
 *
 * <p>A source without sender reports (a camera pulled directly, a file) has no such anchor; then the receive
 * time stands in, which differs between readers, and {@link Source#WALL} says so.
 */
public final class CaptureClock {
    /** Where a frame's capture time came from. */
    public enum Source {
        /** RTCP sender report of the source: identical for every reader. */
        RTCP,
        /** Time the frame reached this reader: no sender report yet, so readers disagree. */
        WALL
    }

    private CaptureClock() {
    }

    /** True when the demuxer has seen a sender report (FFmpeg's {@code AV_NOPTS_VALUE} otherwise). */
    public static boolean hasRealtimeAnchor(long startTimeRealtimeUs) {
        return startTimeRealtimeUs != avutil.AV_NOPTS_VALUE;
    }

    /** Capture time in epoch ms, rounded to the nearest millisecond. */
    public static long captureTs(long startTimeRealtimeUs, long ptsUs) {
        return Math.floorDiv(startTimeRealtimeUs + ptsUs + 500, 1000);
    }

    /**
     * A presentation time in microseconds, truncated toward zero exactly as JavaCV computes {@code Frame.timestamp},
     * so packet mode and decoded mode agree to the microsecond.
     */
    public static long ptsMicros(long pts, int timeBaseNum, int timeBaseDen) {
        return 1_000_000L * pts * timeBaseNum / timeBaseDen;
    }
}
