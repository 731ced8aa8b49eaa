package io.visionfleet.sim.scene;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link SyntheticScene} with the bundled FFmpeg (OpenH264) into H.264: a raw Annex-B stream as a
 * drone would send it, or an MP4 file as a pull source would read it. Each IDR carries SPS and PPS.
 */
public final class SyntheticVideo {
    /** Scene objects rendered by the helpers below. */
    public static final int OBJECTS = 3;

    /** Draws picture {@code index} as packed BGR24 into {@code bgr} (length width*height*3). */
    @FunctionalInterface
    public interface FrameRenderer {
        void render(long index, byte[] bgr);
    }

    private SyntheticVideo() {
    }

    /** An H.264 Annex-B elementary stream of {@code frames} pictures with an IDR every {@code gopFrames}. */
    public static byte[] h264(int width, int height, int fps, int gopFrames, int frames) {
        try {
            Path file = Files.createTempFile("synthetic", ".h264");
            try {
                encode(file, "h264", width, height, fps, gopFrames, frames);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An MP4 file of the scene. */
    public static Path mp4(Path out, int width, int height, int fps, int gopFrames, int frames) {
        encode(out, "mp4", width, height, fps, gopFrames, frames);
        return out;
    }

    /** Splits an Annex-B stream into its access units (capture time 0: the caller stamps them). */
    public static List<AccessUnit> accessUnits(byte[] annexB) {
        List<AccessUnit> units = new ArrayList<>();
        AccessUnitAssembler assembler = new AccessUnitAssembler(au -> units.add(au.withCaptureTs(0)));
        NalSplitter splitter = new NalSplitter(annexB.length, assembler::accept);
        splitter.feed(annexB, 0);
        splitter.flush();
        assembler.flush();
        return units;
    }

    /** An MP4 file of the pictures {@code renderer} draws (e.g. a {@link GroundTruthScene}). */
    public static Path mp4(Path out, int width, int height, int fps, int gopFrames, int frames, FrameRenderer renderer) {
        encode(out, "mp4", width, height, fps, gopFrames, frames, renderer);
        return out;
    }

    /** Encodes the scene into {@code out} in container {@code format} ("h264" for raw Annex-B, "mp4", ...). */
    public static void encode(Path out, String format, int width, int height, int fps, int gopFrames, int frames) {
        encode(out, format, width, height, fps, gopFrames, frames, new SyntheticScene(width, height, OBJECTS)::render);
    }

    /** Encodes {@code frames} pictures drawn by {@code renderer} into {@code out} in container {@code format}. */
    public static void encode(Path out, String format, int width, int height, int fps, int gopFrames, int frames,
                              FrameRenderer renderer) {
        byte[] bgr = new byte[width * height * 3];
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), width, height, 0);
             Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat(format);
            recorder.setVideoCodecName("libopenh264");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setGopSize(gopFrames);
            recorder.setVideoBitrate(Math.max(200_000, width * height * fps / 8));
            recorder.setVideoOption("allow_skip_frames", "0");
            avutil.av_log_set_level(avutil.AV_LOG_ERROR); // the encoder warns on every start about rate control we do not use
            recorder.start();
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            int rowBytes = width * 3;
            for (int i = 0; i < frames; i++) {
                renderer.render(i, bgr);
                for (int y = 0; y < height; y++) {
                    pixels.position(y * frame.imageStride);
                    pixels.put(bgr, y * rowBytes, rowBytes);
                }
                pixels.rewind();
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("encoding synthetic video failed: " + e.getMessage(), e);
        }
    }
}
