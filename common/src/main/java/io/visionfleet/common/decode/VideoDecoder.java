package io.visionfleet.common.decode;

import io.visionfleet.common.h264.VideoCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_LOW_DELAY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

/**
 * FFmpeg's H.264 or H.265 decoder fed whole access units, one thread, low delay: a picture comes out of the call that
 * brings its last slice. Buffers that outlive a call come from {@code av_malloc}, so the caller's
 * {@code PointerScope} cannot free them; {@link #close()} does.
 */
public final class VideoDecoder implements AutoCloseable {
    /** libavutil/frame.h's flag of a key frame, which the presets do not map (JavaCV tests the same bit). */
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;
    private static final byte[] PADDING = new byte[AV_INPUT_BUFFER_PADDING_SIZE];

    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame picture = av_frame_alloc();
    private BytePointer input;
    private long inputCapacity;

    /**
     * A decoder for a stream of {@code videoCodec} whose parameter sets (Annex B, may be empty: they then come
     * in-band) are {@code parameterSets}.
     */
    public VideoDecoder(VideoCodec videoCodec, byte[] parameterSets) throws DecoderException {
        AVCodec codec = avcodec_find_decoder(codecId(videoCodec));
        if (codec == null) {
            throw new DecoderException("FFmpeg has no " + videoCodec + " decoder");
        }
        context = avcodec_alloc_context3(codec);
        context.flags(context.flags() | AV_CODEC_FLAG_LOW_DELAY);
        context.thread_count(1); // frame threading delays every picture by one frame per extra thread
        if (parameterSets.length > 0) {
            BytePointer extradata = new BytePointer(av_mallocz(parameterSets.length + AV_INPUT_BUFFER_PADDING_SIZE))
                    .capacity(parameterSets.length);
            extradata.put(parameterSets);
            context.extradata(extradata).extradata_size(parameterSets.length); // freed with the context
        }
        int result = avcodec_open2(context, codec, (PointerPointer<?>) null);
        if (result < 0) {
            close();
            throw new DecoderException("avcodec_open2 failed: " + result);
        }
    }

    /**
     * Decodes one whole access unit; returns the picture it completed as FFmpeg made it (YUV, in the decoder's
     * buffers, referenced until the next call: {@code av_frame_ref} keeps it longer; {@link BgrConverter} converts
     * it), or null.
     */
    public AVFrame decodePicture(byte[] accessUnit, int length) {
        ensureInput(length + AV_INPUT_BUFFER_PADDING_SIZE);
        input.position(0).put(accessUnit, 0, length);
        input.position(length).put(PADDING, 0, PADDING.length);
        packet.data(input.position(0)).size(length);
        if (avcodec_send_packet(context, packet) < 0 || avcodec_receive_frame(context, picture) < 0) {
            return null; // a damaged picture, or none completed: the decoder recovers at the next one
        }
        return picture;
    }

    /** Whether FFmpeg marked {@code picture} a key frame. */
    public static boolean keyFrame(AVFrame picture) {
        return (picture.flags() & AV_FRAME_FLAG_KEY) != 0;
    }

    /** FFmpeg's id of a codec the fleet carries. */
    public static int codecId(VideoCodec codec) {
        return codec == VideoCodec.H264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC;
    }

    @Override
    public void close() {
        avcodec_free_context(context);
        av_packet_free(packet);
        av_frame_free(picture);
        av_free(input);
        input = null;
    }

    private void ensureInput(long size) {
        if (size > inputCapacity) {
            av_free(input);
            inputCapacity = Math.max(size, 2 * inputCapacity);
            input = new BytePointer(av_malloc(inputCapacity)).capacity(inputCapacity);
        }
    }

    /** The decoder could not be set up. */
    public static final class DecoderException extends java.io.IOException {
        DecoderException(String message) {
            super(message);
        }
    }
}
