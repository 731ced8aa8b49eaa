package io.visionfleet.ingest.consumer;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.synth.SyntheticVideo;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A synthetic clip's access units and the checksum of every picture FFmpeg decodes from the clip itself. H.264
 * decoding is exact, so a picture a consumer pulls through the relay has the checksum of the same picture here:
 * that identifies which published access unit a consumer's frame is, independently of any timestamp.
 */
record ReferenceClip(int fps, List<AccessUnit> accessUnits, Map<String, Integer> pictureByDigest) {

    static ReferenceClip synthetic(int width, int height, int fps, int gopFrames, int frames) throws IOException {
        byte[] annexB = SyntheticVideo.h264(width, height, fps, gopFrames, frames);
        Path file = Files.createTempFile("reference-clip", ".h264");
        try {
            Files.write(file, annexB);
            Map<String, Integer> byDigest = new HashMap<>();
            FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
            grabber.startUnsafe();
            try {
                int index = 0;
                for (Frame frame; (frame = grabber.grabImage()) != null; index++) {
                    if (byDigest.put(digest(frame), index) != null) {
                        throw new IllegalStateException("clip has two identical pictures; checksums would not identify them");
                    }
                }
            } finally {
                grabber.releaseUnsafe();
            }
            return new ReferenceClip(fps, SyntheticVideo.accessUnits(annexB), byDigest);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    int frames() {
        return accessUnits.size();
    }

    /** Index of the clip picture with these exact pixels, or -1. */
    int pictureOf(String digest) {
        return pictureByDigest.getOrDefault(digest, -1);
    }

    /** MD5 of a BGR picture's pixels, row by row (rows may be padded differently). */
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
}
