package io.visionfleet.storage.mp4;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.visionfleet.storage.mp4.FfmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Cuts a clip out of consecutive segments without re-encoding: it starts at the last key frame at or before the
 * requested start (so the clip decodes from its first picture) and ends before the requested end. Segments are
 * joined on the capture-time axis: each segment's timeline starts at its capture start, so a gap between
 * segments stays a gap. A segment whose codec parameters differ from the first (a new resolution after a
 * relay restart) ends the clip, as one MP4 track cannot change them.
 */
public final class ClipCutter {
    private static final AVRational MICROSECONDS = new AVRational().num(1).den(1_000_000).retainReference();

    /** A closed segment: its file and the capture time (epoch ms) its timeline starts at. */
    public record Source(Path file, long startTs) {
    }

    /** The clip written: its first and end capture times and its pictures. */
    public record Clip(long startTs, long endTs, long frames) {
    }

    private ClipCutter() {
    }

    /**
     * Writes the pictures of {@code sources} with capture time in {@code [fromTs, toTs)}, from the key frame at
     * or before {@code fromTs}, into {@code out} as a progressive MP4.
     *
     * @throws IOException also when the range holds no picture
     */
    public static Clip cut(List<Source> sources, long fromTs, long toTs, Path out) throws IOException {
        if (sources.isEmpty()) {
            throw new IOException("no segment in the range");
        }
        long startUs = keyFrameAtOrBefore(sources.get(0), fromTs * 1000);
        try (PointerScope scope = new PointerScope()) {
            Mp4Writer writer = null;
            byte[] firstCodec = null;
            long frames = 0;
            long lastEndUs = startUs;
            AVPacket packet = av_packet_alloc();
            try {
                for (Source source : sources) {
                    AVFormatContext input = open(source.file());
                    try {
                        int video = videoStream(input, source.file());
                        AVCodecParameters codec = input.streams(video).codecpar();
                        byte[] identity = identity(codec);
                        if (writer == null) {
                            writer = Mp4Writer.progressive(out, codec, MICROSECONDS);
                            firstCodec = identity;
                        } else if (!Arrays.equals(firstCodec, identity)) {
                            break;
                        }
                        AVRational timeBase = input.streams(video).time_base();
                        long offsetUs = source.startTs() * 1000 - startUs;
                        while (av_read_frame(input, packet) >= 0) {
                            try {
                                if (packet.stream_index() != video) {
                                    continue;
                                }
                                long ptsUs = micros(packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts(), timeBase);
                                long captureUs = source.startTs() * 1000 + ptsUs;
                                if (captureUs < startUs) {
                                    continue;
                                }
                                if (captureUs >= toTs * 1000) {
                                    break;
                                }
                                long dtsUs = packet.dts() != AV_NOPTS_VALUE ? micros(packet.dts(), timeBase) : ptsUs;
                                long durationUs = micros(packet.duration(), timeBase);
                                packet.pts(ptsUs + offsetUs);
                                packet.dts(dtsUs + offsetUs);
                                packet.duration(durationUs);
                                writer.write(packet);
                                frames++;
                                lastEndUs = captureUs + durationUs;
                            } finally {
                                av_packet_unref(packet);
                            }
                        }
                    } finally {
                        avformat_close_input(input);
                    }
                }
            } finally {
                av_packet_free(packet);
                if (writer != null) {
                    writer.close();
                }
            }
            if (frames == 0) {
                throw new IOException("no picture in the range");
            }
            return new Clip(startUs / 1000, lastEndUs / 1000, frames);
        }
    }

    /** Capture time (µs) of the last key frame at or before {@code fromUs} in a segment, else its first picture. */
    private static long keyFrameAtOrBefore(Source source, long fromUs) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            AVFormatContext input = open(source.file());
            AVPacket packet = av_packet_alloc();
            try {
                int video = videoStream(input, source.file());
                AVRational timeBase = input.streams(video).time_base();
                long best = Long.MIN_VALUE;
                while (av_read_frame(input, packet) >= 0) {
                    try {
                        if (packet.stream_index() != video || (packet.flags() & AV_PKT_FLAG_KEY) == 0) {
                            continue;
                        }
                        long captureUs = source.startTs() * 1000
                                + micros(packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts(), timeBase);
                        if (captureUs > fromUs && best != Long.MIN_VALUE) {
                            break;
                        }
                        best = captureUs; // the first key frame is kept even when it comes after fromUs
                    } finally {
                        av_packet_unref(packet);
                    }
                }
                if (best == Long.MIN_VALUE) {
                    throw new IOException(source.file() + " has no key frame");
                }
                return best;
            } finally {
                av_packet_free(packet);
                avformat_close_input(input);
            }
        }
    }

    private static AVFormatContext open(Path file) throws IOException {
        AVFormatContext input = new AVFormatContext(null);
        check(avformat_open_input(input, "file:" + file.toAbsolutePath(), null, null), "opening " + file);
        return input;
    }

    private static int videoStream(AVFormatContext input, Path file) throws IOException {
        int index = av_find_best_stream(input, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (index < 0) {
            throw new IOException(file + " has no video track");
        }
        return index;
    }

    /** What must match for packets of two segments to share one track: codec, size and SPS/PPS. */
    private static byte[] identity(AVCodecParameters codec) {
        int extra = codec.extradata_size();
        byte[] bytes = new byte[12 + Math.max(0, extra)];
        ByteBuffer.wrap(bytes).putInt(codec.codec_id()).putInt(codec.width()).putInt(codec.height());
        if (extra > 0) {
            new BytePointer(codec.extradata()).capacity(extra).get(bytes, 12, extra);
        }
        return bytes;
    }

    private static long micros(long ticks, AVRational timeBase) {
        return ticks * 1_000_000L * timeBase.num() / timeBase.den();
    }
}
