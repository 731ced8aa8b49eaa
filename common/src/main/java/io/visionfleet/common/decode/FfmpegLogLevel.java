package io.visionfleet.common.decode;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's process-wide log level, for code that opens URLs holding credentials. */
public final class FfmpegLogLevel {
    private FfmpegLogLevel() {
    }

    /**
     * Lowers FFmpeg's log level to WARNING when it is higher. At INFO and above, JavaCV's grabbers call
     * {@code av_dump_format}, which prints "Input #0, rtsp, from 'rtsp://user:password@...'" to stderr, and a
     * service's stderr is its log.
     */
    public static void atMostWarning() {
        if (avutil.av_log_get_level() > avutil.AV_LOG_WARNING) {
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
        }
    }
}
