package io.visionfleet.dronesim;

import io.visionfleet.common.h264.VideoCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A video file's H.264 or H.265 as an Annex-B stream: a raw {@code .h264}/{@code .h265} stream is read as it is, a
 * container (MP4, MKV, ...) is remuxed by the bundled FFmpeg without re-encoding (its demuxers and bitstream filters
 * read both codecs; only its encoder is H.264-only), so the server gets the file's own pictures.
 */
final class VideoFile {
    private VideoFile() {
    }

    /** What FFmpeg found in the file; {@code fps} is 0 when the file does not say (raw streams). */
    record Probe(String container, VideoCodec codec, int width, int height, double fps) {
        boolean isRawAnnexB() {
            return rawFormat(codec).equals(container);
        }
    }

    /** @throws IOException when FFmpeg cannot read the file or it holds neither H.264 nor H.265 video */
    static Probe probe(Path file) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg would print the whole stream layout at INFO
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            if (grabber.getVideoStream() < 0) {
                throw new IOException(file + " has no video stream");
            }
            VideoCodec codec = switch (grabber.getVideoCodec()) {
                case avcodec.AV_CODEC_ID_H264 -> VideoCodec.H264;
                case avcodec.AV_CODEC_ID_HEVC -> VideoCodec.H265;
                default -> throw new IOException(file + " holds " + grabber.getVideoCodecName()
                        + " video; the relay carries H.264 and H.265 only");
            };
            boolean raw = rawFormat(codec).equals(grabber.getFormat());
            // a raw stream has no timing of its own: FFmpeg's rate for it is a guess, not the file's
            double fps = raw ? 0 : grabber.getFrameRate();
            Probe probe = new Probe(grabber.getFormat(), codec, grabber.getImageWidth(), grabber.getImageHeight(), fps);
            grabber.stop();
            return probe;
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the first video stream of a container file as Annex-B into {@code out}, with the parameter sets (SPS/PPS,
     * and VPS for H.265) before each random access picture.
     */
    static void remuxToAnnexB(Path file, VideoCodec codec, Path out) throws IOException {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        String format = rawFormat(codec);
        Process process = new ProcessBuilder(ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
                "-i", file.toString(), "-map", "0:v:0", "-c:v", "copy", "-bsf:v", format + "_mp4toannexb",
                "-f", format, out.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while remuxing " + file, e);
        }
        if (exit != 0 || Files.size(out) == 0) {
            throw new IOException("ffmpeg could not extract " + codec + " from " + file + " (exit " + exit + "): " + log);
        }
    }

    /** FFmpeg's name for the codec's raw elementary stream, as a demuxer, muxer and bitstream filter prefix. */
    private static String rawFormat(VideoCodec codec) {
        return codec == VideoCodec.H265 ? "hevc" : "h264";
    }
}
