package io.visionfleet.dronesim;

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
 * A video file's H.264 as an Annex-B stream: a raw {@code .h264} stream is read as it is, a container (MP4,
 * MKV, ...) is remuxed by the bundled FFmpeg without re-encoding, so the server gets the file's own pictures.
 */
final class H264File {
    /** FFmpeg's name for a raw H.264 elementary stream. */
    private static final String RAW_H264 = "h264";

    /** What FFmpeg found in the file; {@code fps} is 0 when the file does not say (raw streams). */
    record Probe(String container, int width, int height, double fps) {
        boolean isRawAnnexB() {
            return RAW_H264.equals(container);
        }
    }

    private H264File() {
    }

    /** @throws IOException when FFmpeg cannot read the file or it holds no H.264 video */
    static Probe probe(Path file) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg would print the whole stream layout at INFO
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            if (grabber.getVideoStream() < 0) {
                throw new IOException(file + " has no video stream");
            }
            if (grabber.getVideoCodec() != avcodec.AV_CODEC_ID_H264) {
                throw new IOException(file + " holds " + grabber.getVideoCodecName() + " video; the relay carries H.264 only");
            }
            boolean raw = RAW_H264.equals(grabber.getFormat());
            // a raw stream has no timing of its own: FFmpeg's rate for it is a guess, not the file's
            double fps = raw ? 0 : grabber.getFrameRate();
            Probe probe = new Probe(grabber.getFormat(), grabber.getImageWidth(), grabber.getImageHeight(), fps);
            grabber.stop();
            return probe;
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the first video stream of a container file as Annex-B into {@code out}, with SPS/PPS before each IDR. */
    static void remuxToAnnexB(Path file, Path out) throws IOException {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process process = new ProcessBuilder(ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
                "-i", file.toString(), "-map", "0:v:0", "-c:v", "copy", "-bsf:v", "h264_mp4toannexb",
                "-f", "h264", out.toString())
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
            throw new IOException("ffmpeg could not extract H.264 from " + file + " (exit " + exit + "): " + log);
        }
    }
}
