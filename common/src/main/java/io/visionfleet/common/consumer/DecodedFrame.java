package io.visionfleet.common.consumer;

import org.bytedeco.javacv.Frame;

import java.nio.ByteBuffer;

/**
 * A decoded picture with its identity: one of the three reusable slots of a stream's latest-frame handoff.
 * The grabber's own frame is overwritten by the next grab, so each picture is copied into the slot's native
 * buffer, which is allocated once per picture size and released when the stream stops.
 */
public final class DecodedFrame implements AutoCloseable {
    private Frame image;
    private FrameMeta meta;
    private long decodedTs;

    /**
     * The picture (BGR, 8 bits per channel; mind {@code imageStride}). Valid only during
     * {@link FrameConsumer#onFrame}: the slot is refilled afterwards. Clone it to keep it.
     */
    public Frame image() {
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

    void fill(Frame src, FrameMeta frameMeta, long decodedAtMs) {
        if (image == null || image.imageWidth != src.imageWidth || image.imageHeight != src.imageHeight
                || image.imageChannels != src.imageChannels || image.imageDepth != src.imageDepth) {
            close();
            image = new Frame(src.imageWidth, src.imageHeight, src.imageDepth, src.imageChannels);
        }
        ByteBuffer from = (ByteBuffer) src.image[0];
        ByteBuffer to = (ByteBuffer) image.image[0];
        int rowBytes = src.imageWidth * src.imageChannels * Frame.pixelSize(src.imageDepth);
        int fromStride = src.imageStride * Frame.pixelSize(src.imageDepth);
        int toStride = image.imageStride * Frame.pixelSize(image.imageDepth);
        for (int y = 0; y < src.imageHeight; y++) {
            to.put(y * toStride, from, y * fromStride, rowBytes);
        }
        image.timestamp = src.timestamp;
        image.keyFrame = src.keyFrame;
        image.pictType = src.pictType;
        meta = frameMeta;
        decodedTs = decodedAtMs;
    }

    /** Releases the native picture buffer. */
    @Override
    public void close() {
        if (image != null) {
            image.close();
            image = null;
        }
    }
}
