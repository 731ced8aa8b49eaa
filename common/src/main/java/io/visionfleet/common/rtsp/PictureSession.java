package io.visionfleet.common.rtsp;

import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/** A session that hands out decoded pictures. */
public interface PictureSession extends RelaySession {
    /**
     * The next decoded picture (BGR, its pts in microseconds as {@code timestamp}), or null at end of stream or after
     * an I/O timeout. The frame is reused by the next call.
     */
    Frame grabImage() throws IOException;

    /**
     * From now on, a picture that no other picture refers to is not decoded while {@code when} says so (its consumer
     * would drop it anyway, unseen), and {@code skipped} is told of each; the pictures after it decode as before.
     */
    void skipNonReference(BooleanSupplier when, Runnable skipped);
}
