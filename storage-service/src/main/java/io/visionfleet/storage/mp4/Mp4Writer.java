package io.visionfleet.storage.mp4;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.visionfleet.storage.mp4.FfmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

/**
 * Writes one video track of already encoded packets into an MP4 file, without decoding or encoding: FFmpeg's
 * MP4 muxer driven directly, one stream, packets written as they come ({@code av_write_frame}: nothing to
 * interleave).
 *
 * <p>{@link #fragmented} is the recording format: an empty {@code moov} up front, then a {@code moof}+{@code mdat}
 * fragment at every key frame and at least every {@code fragmentDuration}, each pushed to the OS as soon as it is
 * complete ({@code flush_packets}). A process killed at any moment leaves a file that plays up to its last
 * complete fragment. {@link #progressive} is for exported clips: one {@code moov} moved to the front at the end.
 */
public final class Mp4Writer implements AutoCloseable {
    private static final int HVC1 = 'h' | 'v' << 8 | 'c' << 16 | '1' << 24;

    private final AVFormatContext context;
    private final AVRational inputTimeBase;
    /** The track's time base as the muxer chose it; copied once, as reading it allocates a struct each time. */
    private final AVRational outputTimeBase;
    private boolean closed;

    private Mp4Writer(AVFormatContext context, AVRational inputTimeBase, AVRational outputTimeBase) {
        this.context = context;
        this.inputTimeBase = inputTimeBase;
        this.outputTimeBase = outputTimeBase;
    }

    /** A crash-safe fragmented MP4 whose packets carry timestamps in {@code timeBase}. */
    public static Mp4Writer fragmented(Path file, AVCodecParameters codec, AVRational timeBase, Duration fragmentDuration)
            throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("movflags", "frag_keyframe+empty_moov+default_base_moof");
        options.put("frag_duration", Long.toString(fragmentDuration.toNanos() / 1000));
        // each completed fragment goes to the file at once instead of waiting in AVIO's 32 KiB buffer
        options.put("flush_packets", "1");
        return open(file, codec, timeBase, options);
    }

    /** A plain MP4 with its index at the front, for downloads that play while they arrive. */
    public static Mp4Writer progressive(Path file, AVCodecParameters codec, AVRational timeBase) throws IOException {
        return open(file, codec, timeBase, Map.of("movflags", "+faststart"));
    }

    private static Mp4Writer open(Path file, AVCodecParameters codec, AVRational timeBase, Map<String, String> options)
            throws IOException {
        String url = "file:" + file.toAbsolutePath();
        AVFormatContext context = new AVFormatContext(null);
        check(avformat_alloc_output_context2(context, null, "mp4", url), "allocating the MP4 muxer");
        AVDictionary dictionary = new AVDictionary(null);
        try {
            AVStream stream = avformat_new_stream(context, null);
            if (stream == null) {
                throw new IOException("avformat_new_stream failed");
            }
            check(avcodec_parameters_copy(stream.codecpar(), codec), "copying codec parameters");
            stream.codecpar().codec_tag(sampleEntry(codec.codec_id()));
            stream.time_base(timeBase);
            AVIOContext io = new AVIOContext(null);
            check(avio_open2(io, url, AVIO_FLAG_WRITE, null, null), "opening " + file);
            context.pb(io);
            options.forEach((key, value) -> av_dict_set(dictionary, key, value, 0));
            check(avformat_write_header(context, dictionary), "writing the MP4 header of " + file);
            return new Mp4Writer(context, copy(timeBase), copy(stream.time_base()));
        } catch (IOException | RuntimeException e) {
            release(context);
            throw e;
        } finally {
            av_dict_free(dictionary);
        }
    }

    /**
     * Writes one packet whose {@code pts}, {@code dts} and {@code duration} are in the time base given at open.
     * They are rescaled in place; the packet stays owned by the caller.
     */
    public void write(AVPacket packet) throws IOException {
        packet.stream_index(0);
        packet.pos(-1);
        av_packet_rescale_ts(packet, inputTimeBase, outputTimeBase);
        check(av_write_frame(context, packet), "writing a packet");
    }

    /** Writes the last fragment and the trailer and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            check(av_write_trailer(context), "writing the MP4 trailer");
        } finally {
            release(context);
            inputTimeBase.releaseReference();
            outputTimeBase.releaseReference();
        }
    }

    /**
     * The RTSP tag means nothing in MP4. H.264 gets the muxer's choice, {@code avc1}; for H.265 the muxer would
     * choose {@code hev1}, which QuickTime and Safari do not play, so it is told {@code hvc1}.
     */
    private static int sampleEntry(int codecId) {
        return codecId == AV_CODEC_ID_HEVC ? HVC1 : 0;
    }

    /** A native copy that outlives the caller's {@code PointerScope}, released by {@link #close}. */
    private static AVRational copy(AVRational rational) {
        AVRational copy = new AVRational().num(rational.num()).den(rational.den());
        copy.retainReference();
        return copy;
    }

    private static void release(AVFormatContext context) {
        if (context.pb() != null && !context.pb().isNull()) {
            avio_closep(context.pb());
        }
        avformat_free_context(context);
    }
}
