package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/** A session that hands out decoded pictures. */
public interface PictureSession extends RelaySession {
    /**
     * The next decoded picture as FFmpeg made it (YUV, its pts in microseconds), or null at end of stream or after an
     * I/O timeout. Its buffers are the decoder's until the next call; {@code av_frame_ref} keeps them longer.
     */
    AVFrame grabPicture() throws IOException;

    /**
     * From now on, a picture that no other picture refers to is not decoded while {@code when} says so (its consumer
     * would drop it anyway, unseen), and {@code skipped} is told of each; the pictures after it decode as before.
     */
    void skipNonReference(BooleanSupplier when, Runnable skipped);
}
