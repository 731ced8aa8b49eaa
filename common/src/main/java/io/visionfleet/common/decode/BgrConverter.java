package io.visionfleet.common.decode;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

import java.nio.Buffer;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_picture_type_char;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Converts FFmpeg's decoded pictures to BGR as JavaCV's grabber does (same scaler and flags), into one frame reused by
 * the next call. Its buffers come from {@code av_malloc}, so a caller's {@code PointerScope} cannot free them;
 * {@link #close()} does.
 */
public final class BgrConverter implements AutoCloseable {
    /** swscale's vector code writes past the end of a narrow picture (seen: over 256 bytes at 8 and 40 pixels wide). */
    private static final int SLACK = 4096;

    private final PointerPointer<BytePointer> bgrPlanes = new PointerPointer<>(1);
    private final IntPointer bgrStrides = new IntPointer(1);
    private final Frame bgr = new Frame();
    private BytePointer bgrData;
    private SwsContext scaler;

    /** {@code picture} in BGR, with its key-frame flag and picture type; the frame is reused by the next call. */
    public Frame convert(AVFrame picture) {
        int width = picture.width();
        int height = picture.height();
        int stride = (width * 3 + 31) & ~31;
        if (bgrData == null || bgr.imageWidth != width || bgr.imageHeight != height) {
            av_free(bgrData);
            long size = (long) stride * height;
            bgrData = new BytePointer(av_malloc(size + SLACK)).capacity(size).limit(size);
            bgrPlanes.put(0, bgrData);
            bgrStrides.put(0, stride);
            bgr.imageWidth = width;
            bgr.imageHeight = height;
            bgr.imageDepth = Frame.DEPTH_UBYTE;
            bgr.imageChannels = 3;
            bgr.imageStride = stride;
            bgr.image = new Buffer[] {bgrData.asByteBuffer()};
        }
        scaler = sws_getCachedContext(scaler, width, height, picture.format(), width, height, AV_PIX_FMT_BGR24,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        sws_scale(scaler, new PointerPointer<>(picture), picture.linesize(), 0, height, bgrPlanes, bgrStrides);
        bgr.keyFrame = VideoDecoder.keyFrame(picture);
        bgr.pictType = (char) av_get_picture_type_char(picture.pict_type());
        return bgr;
    }

    @Override
    public void close() {
        sws_freeContext(scaler);
        scaler = null;
        av_free(bgrData);
        bgrData = null;
        bgrPlanes.close();
        bgrStrides.close();
    }
}
