package io.visionfleet.storage.mp4;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;

import java.io.IOException;

import static io.visionfleet.storage.mp4.FfmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_free_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

/**
 * Turns a key-frame packet into a JPEG, decoding that one packet and nothing else: a key frame decodes on its
 * own, so a recorder that snapshots every N seconds decodes one picture per N seconds instead of the stream.
 * The decoder is drained after each packet and flushed, so it holds no state between snapshots. Owns native
 * contexts: one instance per stream session, closed with it; not thread-safe.
 */
public final class KeyFrameJpeg implements AutoCloseable {
    private final AVCodecContext decoder;
    private final AVFrame picture = av_frame_alloc();
    private final AVFrame fullRange = av_frame_alloc();
    private final AVPacket jpeg = av_packet_alloc();
    private final int quantizer;
    private AVCodecContext encoder;
    private final SwsContext scaler = sws_alloc_context();
    private int width;
    private int height;
    private long pts;

    /**
     * @param codec     the stream's codec parameters (with SPS/PPS from the SDP)
     * @param quantizer MJPEG quantiser, 2 (best) to 31
     */
    public KeyFrameJpeg(AVCodecParameters codec, int quantizer) throws IOException {
        if (quantizer < 2 || quantizer > 31) {
            throw new IllegalArgumentException("JPEG quantiser must be 2..31, got " + quantizer);
        }
        this.quantizer = quantizer;
        AVCodec codecImpl = avcodec_find_decoder(codec.codec_id());
        if (codecImpl == null) {
            throw new IOException("no decoder for codec id " + codec.codec_id());
        }
        decoder = avcodec_alloc_context3(codecImpl);
        try {
            check(avcodec_parameters_to_context(decoder, codec), "configuring the snapshot decoder");
            decoder.thread_count(1);
            check(avcodec_open2(decoder, codecImpl, (AVDictionary) null), "opening the snapshot decoder");
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The picture of {@code keyFrame} as JPEG bytes. The packet is only read. */
    public byte[] encode(AVPacket keyFrame) throws IOException {
        try {
            check(avcodec_send_packet(decoder, keyFrame), "decoding the key frame");
            check(avcodec_send_packet(decoder, null), "draining the decoder"); // the picture now, not a packet later
            check(avcodec_receive_frame(decoder, picture), "receiving the decoded key frame");
            return toJpeg(picture);
        } finally {
            av_frame_unref(picture);
            avcodec_flush_buffers(decoder);
        }
    }

    private byte[] toJpeg(AVFrame frame) throws IOException {
        prepare(frame.width(), frame.height());
        if (frame.color_range() != AVCOL_RANGE_JPEG) {
            frame.color_range(AVCOL_RANGE_MPEG); // unspecified means limited range for video
        }
        // converts limited-range video (16-235) to full-range JPEG (0-255) as the frames' ranges say;
        // a plain copy would leave the snapshot washed out
        check(sws_scale_frame(scaler, fullRange, frame), "converting the picture for JPEG");
        fullRange.pts(pts++);
        fullRange.quality(FF_QP2LAMBDA * quantizer);
        check(avcodec_send_frame(encoder, fullRange), "encoding the JPEG");
        check(avcodec_receive_packet(encoder, jpeg), "receiving the JPEG");
        try {
            byte[] bytes = new byte[jpeg.size()];
            jpeg.data().get(bytes);
            return bytes;
        } finally {
            av_packet_unref(jpeg);
        }
    }

    /** (Re)creates the JPEG encoder and its full-range picture for this size. */
    private void prepare(int w, int h) throws IOException {
        if (encoder != null && w == width && h == height) {
            return;
        }
        if (encoder != null) {
            avcodec_free_context(encoder);
            av_frame_unref(fullRange);
        }
        AVCodec mjpeg = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        encoder = avcodec_alloc_context3(mjpeg);
        encoder.width(w).height(h).pix_fmt(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_JPEG);
        encoder.time_base().num(1).den(25);
        encoder.flags(encoder.flags() | AV_CODEC_FLAG_QSCALE);
        encoder.global_quality(FF_QP2LAMBDA * quantizer);
        check(avcodec_open2(encoder, mjpeg, (AVDictionary) null), "opening the JPEG encoder");
        fullRange.width(w).height(h).format(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_JPEG);
        check(av_frame_get_buffer(fullRange, 0), "allocating the JPEG picture");
        width = w;
        height = h;
    }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        sws_free_context(scaler);
        av_frame_free(picture);
        av_frame_free(fullRange);
        av_packet_free(jpeg);
    }
}
