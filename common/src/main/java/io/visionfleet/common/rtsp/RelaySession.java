package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.io.IOException;

/** One open RTSP session with the relay, in decoded mode or packet mode. */
public interface RelaySession extends AutoCloseable {
    /**
     * Whether a failed open was the server's 5xx answer, which the relay gives a stream it knows but cannot play yet
     * (no parameter sets). A relay at its connection limit answers 503 too; the quick retries that follow are bounded
     * in time.
     */
    static boolean notReadyYet(Exception openFailure) {
        return openFailure instanceof RtspStatusException answer && answer.status() >= 500;
    }

    /** Wall-clock time of pts 0 from the first RTCP sender report, or {@code AV_NOPTS_VALUE} before one arrived. */
    long startTimeRealtimeUs();

    /** The stream's parameters as an FFmpeg format context, for a muxer (packet mode); null in decoded mode. */
    AVFormatContext formatContext();

    @Override
    void close() throws IOException;
}
