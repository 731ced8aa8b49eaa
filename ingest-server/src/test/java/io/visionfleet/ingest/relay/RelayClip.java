package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.synth.SyntheticVideo;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A synthetic clip and the per-frame checksums FFmpeg gets decoding its Annex-B file directly: MD5 of the BGR
 * picture as a JavaCV grabber delivers it, and the CLI's {@code framemd5} of the decoded YUV picture. A relay
 * reader must decode exactly these pictures.
 */
record RelayClip(int fps, int gopFrames, List<AccessUnit> accessUnits, List<String> grabberDigests, List<String> cliDigests) {

    static RelayClip synthetic(int width, int height, int fps, int gopFrames, int frames) {
        byte[] annexB = SyntheticVideo.h264(width, height, fps, gopFrames, frames);
        try {
            Path file = Files.createTempFile("relay-clip", ".h264");
            try {
                Files.write(file, annexB);
                return new RelayClip(fps, gopFrames, SyntheticVideo.accessUnits(annexB), grabberDigests(file), cliDigests(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int frames() {
        return accessUnits.size();
    }

    /** MD5 of a decoded BGR picture, row by row (the stride may pad rows). */
    static String digest(Frame frame) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            ByteBuffer pixels = ((ByteBuffer) frame.image[0]).duplicate();
            int rowBytes = frame.imageWidth * frame.imageChannels;
            for (int y = 0; y < frame.imageHeight; y++) {
                pixels.limit(y * frame.imageStride + rowBytes).position(y * frame.imageStride);
                md5.update(pixels);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> grabberDigests(Path file) throws IOException {
        List<String> digests = new ArrayList<>();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.startUnsafe();
        try {
            for (Frame frame; (frame = grabber.grabImage()) != null; ) {
                digests.add(digest(frame));
            }
        } finally {
            grabber.releaseUnsafe();
        }
        return digests;
    }

    private static List<String> cliDigests(Path file) throws IOException {
        Process ffmpeg = FfmpegCli.start("-loglevel", "error", "-i", file.toString(), "-f", "framemd5", "-");
        List<String> digests = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines()
                .map(FfmpegCli::md5Of).filter(md5 -> md5 != null).toList();
        try {
            if (ffmpeg.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + new String(ffmpeg.getErrorStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return digests;
    }
}
