package io.visionfleet.ingest.ingest;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.synth.SyntheticVideo;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** A synthetic H.264 clip for tests: its Annex-B bytes, its access units, and the checksums of its decoded frames. */
public record Clip(byte[] annexB, List<AccessUnit> accessUnits, List<Long> frameChecksums) {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 30;

    public static Clip synthetic(int gopFrames, int frames) {
        byte[] annexB = SyntheticVideo.h264(WIDTH, HEIGHT, FPS, gopFrames, frames);
        return new Clip(annexB, SyntheticVideo.accessUnits(annexB), decode(annexB));
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

    /** CRC-32 of a decoded BGR picture, row by row (the stride may pad rows). */
    public static long checksum(Frame frame) {
        ByteBuffer pixels = ((ByteBuffer) frame.image[0]).duplicate();
        CRC32 crc = new CRC32();
        int rowBytes = frame.imageWidth * frame.imageChannels;
        for (int y = 0; y < frame.imageHeight; y++) {
            pixels.limit(y * frame.imageStride + rowBytes).position(y * frame.imageStride);
            crc.update(pixels);
        }
        return crc.getValue();
    }

    private static List<Long> decode(byte[] annexB) {
        try {
            Path file = Files.createTempFile("clip", ".h264");
            try {
                Files.write(file, annexB);
                List<Long> checksums = new ArrayList<>();
                FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toString());
                grabber.startUnsafe();
                try {
                    for (Frame frame; (frame = grabber.grabImage()) != null; ) {
                        checksums.add(checksum(frame));
                    }
                } finally {
                    grabber.releaseUnsafe();
                }
                return checksums;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
