package io.visionfleet.common.rtsp;

import org.bytedeco.javacv.Frame;

import java.io.IOException;

/** A session that hands out decoded pictures. */
public interface PictureSession extends RelaySession {
    /**
     * The next decoded picture (BGR, its pts in microseconds as {@code timestamp}), or null at end of stream or after
     * an I/O timeout. The frame is reused by the next call.
     */
    Frame grabImage() throws IOException;
}
