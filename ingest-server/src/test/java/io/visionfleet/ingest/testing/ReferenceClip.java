package io.visionfleet.ingest.testing;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.testing.SystemFfmpeg;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An H.264 or H.265 clip and the digest of every picture FFmpeg decodes from it. Decoding is exact, so a
 * picture a reader pulls through the relay has the digest of the same picture here: that identifies which published
 * access unit it is, independently of any timestamp.
 */
public final class ReferenceClip {
    private final int fps;
    private final int gopFrames;
    private final byte[] annexB;
    private final List<AccessUnit> accessUnits;
    private final List<String> digests;
    private final Map<String, Integer> pictureByDigest = new HashMap<>();

    private ReferenceClip(int fps, int gopFrames, byte[] annexB, List<String> digests) {
        this.fps = fps;
        this.gopFrames = gopFrames;
        this.annexB = annexB;
        this.accessUnits = SyntheticVideo.accessUnits(annexB);
        this.digests = digests;
        for (int i = 0; i < digests.size(); i++) {
            if (pictureByDigest.put(digests.get(i), i) != null) {
                throw new IllegalStateException("clip has two identical pictures; digests would not identify them");
            }
        }
    }

    public static ReferenceClip synthetic(int width, int height, int fps, int gopFrames, int frames) {
        byte[] annexB = SyntheticVideo.h264(width, height, fps, gopFrames, frames);
        return decoded(fps, gopFrames, ".h264", file -> Files.write(file, annexB));
    }

    /**
     * FFmpeg's {@code testsrc2} pattern encoded by libx265 as a raw H.265 Annex-B clip: an IDR every
     * {@code gopFrames} pictures, no B-frames (a live source's order), each picture in {@code slices} slices
     * ({@link SystemFfmpeg#x265}).
     */
    public static ReferenceClip x265(int width, int height, int fps, int gopFrames, int frames, int slices) {
        return decoded(fps, gopFrames, ".h265", file -> SystemFfmpeg.x265(file, width, height, fps, gopFrames, frames, slices));
    }

    /** FFmpeg's {@code testsrc2} pattern by libx264 with B-frames that no picture refers to ({@link SystemFfmpeg#x264WithBFrames}). */
    public static ReferenceClip x264WithBFrames(int width, int height, int fps, int gopFrames, int frames) {
        return decoded(fps, gopFrames, ".h264", file -> SystemFfmpeg.x264WithBFrames(file, width, height, fps, gopFrames, frames));
    }

    /** The first {@code frames} pictures of a real video file re-encoded ({@link SystemFfmpeg#reencode}). */
    public static ReferenceClip reencoded(Path source, boolean h265, int width, int height, int fps, int gopFrames, int frames) {
        return decoded(fps, gopFrames, h265 ? ".h265" : ".h264",
                file -> SystemFfmpeg.reencode(source, h265, width, height, gopFrames, frames, file));
    }

    /**
     * The clip remuxed without re-encoding into an MP4 at its frame rate (length-prefixed NAL units, parameter sets in
     * the {@code avcC} or {@code hvcC} record) by the {@code ffmpeg} on the PATH.
     */
    public Path mp4(Path out) throws IOException {
        Path raw = Files.write(out.resolveSibling(out.getFileName() + ".es"), annexB);
        SystemFfmpeg.mp4(raw, accessUnits.get(0).codec() == VideoCodec.H265, fps, out);
        Files.delete(raw);
        return out;
    }

    private interface ClipWriter {
        void write(Path file) throws IOException;
    }

    private static ReferenceClip decoded(int fps, int gopFrames, String suffix, ClipWriter writer) {
        try {
            Path file = Files.createTempFile("reference-clip", suffix);
            try {
                writer.write(file);
                return new ReferenceClip(fps, gopFrames, Files.readAllBytes(file), digests(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int fps() {
        return fps;
    }

    public int gopFrames() {
        return gopFrames;
    }

    public int frames() {
        return accessUnits.size();
    }

    /** The whole clip as one Annex-B byte string, as a raw {@code .h264} or {@code .h265} file holds it. */
    public byte[] annexB() {
        return annexB.clone();
    }

    public List<AccessUnit> accessUnits() {
        return accessUnits;
    }

    /** Digest of each decoded picture, in the clip's order. */
    public List<String> digests() {
        return digests;
    }

    /** Index of the clip picture with these exact pixels, or -1. */
    public int pictureOf(String digest) {
        return pictureByDigest.getOrDefault(digest, -1);
    }

    /** Digests of every picture FFmpeg decodes from a video file, in order. */
    public static List<String> digests(Path video) throws IOException {
        List<String> digests = new ArrayList<>();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
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

    /** MD5 of a decoded BGR picture's pixels, row by row (the stride may pad rows differently). */
    public static String digest(Frame frame) {
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

    /** One access unit as an Annex-B byte string, as a publisher sends it. */
    public static byte[] annexB(AccessUnit au) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : au.nalUnits()) {
            out.writeBytes(new byte[]{0, 0, 0, 1});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }
}
