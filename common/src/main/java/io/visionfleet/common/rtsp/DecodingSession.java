package io.visionfleet.common.rtsp;

import io.visionfleet.common.decode.VideoDecoder;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Decoded mode's session: each access unit the reader completes goes to FFmpeg's decoder at once. */
public final class DecodingSession implements PictureSession {
    private final RtspPlayback reader;
    private final VideoDecoder decoder;
    private BooleanSupplier skipNonReference = () -> false;
    private Runnable skipped = () -> { };

    private DecodingSession(RtspPlayback reader, VideoDecoder decoder) {
        this.reader = reader;
        this.decoder = decoder;
    }

    /** Plays {@code url} (credentials in its user info are used, never sent in it); on failure nothing stays open. */
    public static DecodingSession open(String url, Duration ioTimeout) throws IOException {
        RtspPlayback reader = RtspPlayback.open(url, ioTimeout);
        try {
            return new DecodingSession(reader, new VideoDecoder(reader.codec(), reader.parameterSets()));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** As FFmpeg: null at end of stream, or when no picture could be decoded for the I/O timeout. */
    @Override
    public AVFrame grabPicture() throws IOException {
        long deadline = reader.deadline();
        while (reader.next(deadline)) {
            if (reader.nonReference() && skipNonReference.getAsBoolean()) {
                skipped.run();
                continue;
            }
            AVFrame picture = decoder.decodePicture(reader.accessUnit(), reader.length());
            if (picture != null) {
                return picture.pts(RtpTimeline.ptsMicros(reader.pts()));
            }
        }
        return null;
    }

    @Override
    public void skipNonReference(BooleanSupplier when, Runnable skipped) {
        this.skipNonReference = when;
        this.skipped = skipped;
    }

    @Override
    public long startTimeRealtimeUs() {
        return reader.startTimeRealtimeUs();
    }

    /** None: decoded mode hands out pictures, not packets to mux. */
    @Override
    public AVFormatContext formatContext() {
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            decoder.close();
        }
    }
}
