package io.visionfleet.storage.mp4;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.nio.file.Path;

import static io.visionfleet.storage.mp4.FfmpegCalls.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * What FFmpeg's demuxer reads from an MP4 video track: packet count and time span, without decoding. Recovery
 * uses it to index a segment a crash left open, as ffprobe would count it.
 */
public final class Mp4Probe {
    /**
     * @param frames          video packets in the file
     * @param durationMs      from the first packet's presentation time to the end of the last packet
     * @param startsOnKeyFrame whether the first packet is a key frame
     */
    public record Summary(long frames, long durationMs, boolean startsOnKeyFrame) {
    }

    private Mp4Probe() {
    }

    public static Summary probe(Path file) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            AVFormatContext context = new AVFormatContext(null);
            check(avformat_open_input(context, "file:" + file.toAbsolutePath(), null, null), "opening " + file);
            AVPacket packet = av_packet_alloc();
            try {
                int video = videoStream(context);
                AVRational timeBase = context.streams(video).time_base();
                long frames = 0;
                long first = Long.MAX_VALUE;
                long end = Long.MIN_VALUE;
                boolean startsOnKey = false;
                while (av_read_frame(context, packet) >= 0) {
                    if (packet.stream_index() == video) {
                        long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                        if (frames == 0) {
                            startsOnKey = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                        }
                        frames++;
                        first = Math.min(first, pts);
                        end = Math.max(end, pts + packet.duration());
                    }
                    av_packet_unref(packet);
                }
                long durationMs = frames == 0 ? 0 : (end - first) * 1000L * timeBase.num() / timeBase.den();
                return new Summary(frames, durationMs, startsOnKey);
            } finally {
                av_packet_free(packet);
                avformat_close_input(context);
            }
        }
    }

    private static int videoStream(AVFormatContext context) throws IOException {
        for (int i = 0; i < context.nb_streams(); i++) {
            AVStream stream = context.streams(i);
            if (stream.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                return i;
            }
        }
        throw new IOException("no video track");
    }
}
