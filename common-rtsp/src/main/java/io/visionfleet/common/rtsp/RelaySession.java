package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.io.IOException;

/** One open RTSP session with the relay, through whichever client reads it. */
public interface RelaySession extends AutoCloseable {
    /** Wall-clock time of pts 0 from the first RTCP sender report, or {@code AV_NOPTS_VALUE} before one arrived. */
    long startTimeRealtimeUs();

    /** FFmpeg's demuxer context of the session, or null when FFmpeg does not demux it. */
    AVFormatContext formatContext();

    @Override
    void close() throws IOException;
}
