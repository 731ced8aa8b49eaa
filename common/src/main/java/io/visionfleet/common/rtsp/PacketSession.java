package io.visionfleet.common.rtsp;

import io.visionfleet.common.decode.VideoDecoder;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVCodecParserContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.time.Duration;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_parser_close;
import static org.bytedeco.ffmpeg.global.avcodec.av_parser_init;
import static org.bytedeco.ffmpeg.global.avcodec.av_parser_parse2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

/**
 * Packet mode's session: each access unit the reader completes, undecoded, as an FFmpeg packet (Annex B, pts in
 * 90 kHz ticks, no dts since RTP carries none, flagged key at a random access point), and the stream's parameters as
 * an FFmpeg format context for a muxer: codec, parameter sets as extradata, and the picture size, which FFmpeg's
 * parser reads from a key frame's parameter sets and slice header. Opening waits for the first key frame (the relay
 * sends its cached one first), so the size is known when the session is handed over, as after FFmpeg's probing;
 * the packets before it, which no decoder could use, are skipped.
 */
public final class PacketSession implements RelaySession {
    /** libavcodec/avcodec.h's flag for a parser fed whole frames, which the presets do not map. */
    private static final int PARSER_FLAG_COMPLETE_FRAMES = 1;
    private static final int CLOCK_RATE = 90_000;
    private static final byte[] PADDING = new byte[AV_INPUT_BUFFER_PADDING_SIZE];

    private final RtspPlayback reader;
    private final byte[] parameterSets;
    private final AVFormatContext format = avformat_alloc_context();
    private final AVPacket packet = av_packet_alloc();
    private final AVCodecParserContext parser;
    private final AVCodecContext parserCodec = avcodec_alloc_context3(null);
    private final PointerPointer<BytePointer> parsedFrame = new PointerPointer<>(1);
    private final IntPointer parsedSize = new IntPointer(1);
    private final AVCodecParameters codec;
    private BytePointer data;
    private long dataCapacity;
    /** The first key frame, read while opening and not handed out yet. */
    private boolean firstKeyFrameHeld;

    private PacketSession(RtspPlayback reader) {
        this.reader = reader;
        this.parameterSets = reader.parameterSets();
        int codecId = VideoDecoder.codecId(reader.codec());
        AVStream stream = avformat_new_stream(format, null);
        stream.time_base(av_make_q(1, CLOCK_RATE));
        codec = stream.codecpar();
        codec.codec_type(AVMEDIA_TYPE_VIDEO).codec_id(codecId);
        if (parameterSets.length > 0) {
            BytePointer extradata = new BytePointer(av_mallocz(parameterSets.length + AV_INPUT_BUFFER_PADDING_SIZE))
                    .capacity(parameterSets.length);
            extradata.put(parameterSets);
            codec.extradata(extradata).extradata_size(parameterSets.length); // freed with the format context
        }
        parser = av_parser_init(codecId);
        parser.flags(parser.flags() | PARSER_FLAG_COMPLETE_FRAMES);
    }

    /** Plays {@code url} (credentials in its user info are used, never sent in it); on failure nothing stays open. */
    public static PacketSession open(String url, Duration ioTimeout) throws IOException {
        RtspPlayback reader = RtspPlayback.open(url, ioTimeout);
        PacketSession session;
        try {
            session = new PacketSession(reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
        try {
            session.readFirstKeyFrame(ioTimeout);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * The next access unit, or null at end of stream or when none arrived for the I/O timeout. The packet is this
     * session's own and does not own its data: it is valid until the next call, and {@code av_packet_unref} on it
     * frees nothing.
     */
    public AVPacket grabVideoPacket() throws IOException {
        if (firstKeyFrameHeld) {
            firstKeyFrameHeld = false;
        } else if (!reader.next(reader.deadline())) {
            return null;
        } else if (reader.keyFrame()) {
            readPictureSize();
        }
        int length = reader.length();
        boolean key = reader.keyFrame();
        ensureData(length + AV_INPUT_BUFFER_PADDING_SIZE);
        data.position(0).put(reader.accessUnit(), 0, length);
        data.position(length).put(PADDING);
        packet.data(data.position(0)).size(length).stream_index(0).pts(reader.pts()).dts(AV_NOPTS_VALUE)
                .flags(key ? AV_PKT_FLAG_KEY : 0);
        return packet;
    }

    /** Presentation time of a packet of this session in microseconds. */
    public long packetPtsMicros(AVPacket videoPacket) {
        return RtpTimeline.ptsMicros(videoPacket.pts());
    }

    @Override
    public long startTimeRealtimeUs() {
        return reader.startTimeRealtimeUs();
    }

    /** One video stream at 90 kHz with the codec parameters above, valid until {@link #close()}. */
    @Override
    public AVFormatContext formatContext() {
        return format;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            av_parser_close(parser);
            avcodec_free_context(parserCodec);
            avformat_free_context(format);
            av_packet_free(packet);
            av_free(data);
            data = null;
            parsedFrame.close();
            parsedSize.close();
        }
    }

    private void readFirstKeyFrame(Duration ioTimeout) throws IOException {
        long deadline = reader.deadline();
        while (reader.next(deadline)) {
            if (reader.keyFrame()) {
                readPictureSize();
                firstKeyFrameHeld = true;
                return;
            }
        }
        throw new IOException("no key frame within " + ioTimeout.toMillis() + " ms of PLAY");
    }

    /**
     * Parses the description's parameter sets and the reader's key frame after them as one frame, so the size is
     * known even when the stream sends its parameter sets only out of band.
     */
    private void readPictureSize() {
        int length = parameterSets.length + reader.length();
        BytePointer input = new BytePointer(av_malloc(length + AV_INPUT_BUFFER_PADDING_SIZE))
                .capacity(length + AV_INPUT_BUFFER_PADDING_SIZE);
        try {
            input.position(0).put(parameterSets);
            input.position(parameterSets.length).put(reader.accessUnit(), 0, reader.length());
            input.position(length).put(PADDING);
            av_parser_parse2(parser, parserCodec, parsedFrame, parsedSize, input.position(0), length,
                    AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
        } finally {
            av_free(input);
        }
        if (parser.width() > 0 && parser.height() > 0) {
            codec.width(parser.width()).height(parser.height());
        }
        if (parser.format() >= 0) {
            codec.format(parser.format());
        }
    }

    private void ensureData(long size) {
        if (size > dataCapacity) {
            av_free(data);
            dataCapacity = Math.max(size, 2 * dataCapacity);
            data = new BytePointer(av_malloc(dataCapacity)).capacity(dataCapacity).limit(dataCapacity);
        }
    }
}
