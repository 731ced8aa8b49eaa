package io.visionfleet.common.consumer;

import io.visionfleet.common.decode.BgrConverter;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.Frame;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * A decoded picture with its identity: one of the three reusable slots of a stream's latest-frame handoff. It holds a
 * reference to FFmpeg's picture (YUV, in the decoder's buffers: nothing is copied) and converts it to BGR only when the
 * consumer asks for it, so a picture that a newer one replaces before a consumer takes it costs neither a conversion
 * nor a copy (under overload most decoded pictures are: the decoder needs every reference picture). The BGR buffer is
 * allocated once per picture size and released, with the reference, when the stream stops.
 */
public final class DecodedFrame implements AutoCloseable {
    private final AVFrame picture = av_frame_alloc();
    private final BgrConverter converter = new BgrConverter();
    private Frame image;
    private FrameMeta meta;
    private long decodedTs;

    /**
     * The picture (BGR, 8 bits per channel; mind {@code imageStride}), converted at the first call. Valid only during
     * {@link FrameConsumer#onFrame}: the slot is refilled afterwards. Clone it to keep it.
     */
    public Frame image() {
        if (image == null) {
            image = converter.convert(picture);
            image.timestamp = picture.pts();
        }
        return image;
    }

    public FrameMeta meta() {
        return meta;
    }

    /**
     * Epoch ms at which the decoder handed this picture to the grab thread. Receiving and decoding happen in that
     * one call, so this is also when the service received it (decoding takes 1-5 ms a picture up to 720p).
     */
    public long decodedTs() {
        return decodedTs;
    }

    /** Takes a reference to {@code src} (its pts in microseconds), which the decoder may then reuse for the next. */
    void fill(AVFrame src, FrameMeta frameMeta, long decodedAtMs) {
        av_frame_unref(picture);
        if (av_frame_ref(picture, src) < 0) {
            throw new OutOfMemoryError("FFmpeg could not reference a decoded picture");
        }
        image = null;
        meta = frameMeta;
        decodedTs = decodedAtMs;
    }

    /** Releases the picture and the BGR buffer. */
    @Override
    public void close() {
        av_frame_free(picture);
        converter.close();
        image = null;
    }
}
