package io.visionfleet.storage.support;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Identifies decoded pictures by the checksum of their luma plane. Remuxing does not touch the H.264 or H.265 bitstream
 * and decoding is exact, so a recorded picture has the checksum of the same picture decoded from the source clip:
 * which source picture each recorded one is, independent of any timestamp.
 */
public final class Pictures {
    private Pictures() {
    }

    /** Checksums of every picture of {@code file}, in decoding order of presentation. */
    public static List<String> checksums(Path file) throws IOException {
        List<String> sums = new ArrayList<>();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
        grabber.startUnsafe();
        try {
            for (Frame frame; (frame = grabber.grabImage()) != null; ) {
                sums.add(checksum(frame));
            }
        } finally {
            grabber.releaseUnsafe();
        }
        return sums;
    }

    /** Picture index in {@code source} by checksum; fails when two source pictures are identical. */
    public static Map<String, Integer> index(Path source) throws IOException {
        Map<String, Integer> index = new HashMap<>();
        List<String> sums = checksums(source);
        for (int i = 0; i < sums.size(); i++) {
            if (index.put(sums.get(i), i) != null) {
                throw new IllegalStateException("source has two identical pictures; checksums cannot tell them apart");
            }
        }
        return index;
    }

    private static String checksum(Frame frame) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            ByteBuffer pixels = ((ByteBuffer) frame.image[0]).duplicate();
            for (int y = 0; y < frame.imageHeight; y++) {
                pixels.limit(y * frame.imageStride + frame.imageWidth).position(y * frame.imageStride);
                md5.update(pixels);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
