package io.visionfleet.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ffmpeg} on the PATH (Debian's, which {@code ./fleet test} installs), for what JavaCV's bundled FFmpeg
 * lacks: the libx265 encoder. Makes the H.265 clips that the ingest, storage, frame-processor, slam-service,
 * ptz-service and drone-sim tests publish.
 */
public final class SystemFfmpeg {
    private SystemFfmpeg() {
    }

    /**
     * Writes FFmpeg's {@code testsrc2} pattern encoded by libx265 as a raw H.265 Annex-B clip to {@code out}: an
     * IDR every {@code gopFrames} pictures, closed GOPs, no B-frames (a live source's order), each picture in
     * {@code slices} slices.
     */
    public static Path x265(Path out, int width, int height, int fps, int gopFrames, int frames, int slices) {
        run("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-frames:v", String.valueOf(frames), "-c:v", "libx265", "-x265-params", liveX265(gopFrames, slices),
                "-f", "hevc", out.toString());
        return out;
    }

    /**
     * Writes FFmpeg's {@code testsrc2} pattern encoded by libx264 as a raw H.264 Annex-B clip with B-frames, as
     * cameras that reorder send them: two between references, none of which another picture refers to
     * ({@code nal_ref_idc} 0, no B-pyramid), an IDR every {@code gopFrames} pictures.
     */
    public static Path x264WithBFrames(Path out, int width, int height, int fps, int gopFrames, int frames) {
        run("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-frames:v", String.valueOf(frames), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-x264-params",
                "keyint=" + gopFrames + ":min-keyint=" + gopFrames + ":scenecut=0:bframes=2:b-adapt=0:b-pyramid=none",
                "-f", "h264", out.toString());
        return out;
    }

    /**
     * Re-encodes the first {@code frames} pictures of a video file, scaled to {@code width x height}, as a live source
     * sends them: libx264 (High profile) or libx265 (as {@link #x265}), no B-frames, an IDR every {@code gopFrames},
     * into a raw Annex-B clip.
     */
    public static Path reencode(Path source, boolean h265, int width, int height, int gopFrames, int frames, Path out) {
        List<String> args = new ArrayList<>(List.of("-i", source.toString(), "-an", "-frames:v", String.valueOf(frames),
                "-vf", "scale=" + width + ":" + height, "-pix_fmt", "yuv420p"));
        args.addAll(h265 ? List.of("-c:v", "libx265", "-preset", "ultrafast", "-x265-params", liveX265(gopFrames, 1), "-f", "hevc")
                : List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-x264-params",
                        "keyint=" + gopFrames + ":min-keyint=" + gopFrames + ":scenecut=0:bframes=0", "-f", "h264"));
        args.add(out.toString());
        run(args.toArray(String[]::new));
        return out;
    }

    /** Re-encodes a video file's pictures with libx265 (as {@link #x265}, one slice) into an MP4 tagged {@code hvc1}. */
    public static Path x265Mp4(Path source, int gopFrames, Path out) {
        return fastX265(List.of("-i", source.toString(), "-an"), gopFrames, List.of("-tag:v", "hvc1"), out);
    }

    /**
     * Encodes raw pictures, a file of {@code width x height} packed BGR pictures one after the other (as the
     * simulators render them), with libx265 (as {@link #x265}, one slice) into a raw H.265 Annex-B clip.
     */
    public static Path x265FromBgr(Path bgr, int width, int height, int fps, int gopFrames, Path out) {
        return fastX265(List.of("-f", "rawvideo", "-pix_fmt", "bgr24", "-video_size", width + "x" + height,
                "-framerate", String.valueOf(fps), "-i", bgr.toString()), gopFrames, List.of("-pix_fmt", "yuv420p", "-f", "hevc"), out);
    }

    /** libx265 at its fastest preset and a high quality, between the input's and the output's options. */
    private static Path fastX265(List<String> input, int gopFrames, List<String> output, Path out) {
        List<String> args = new ArrayList<>(input);
        args.addAll(List.of("-c:v", "libx265", "-preset", "ultrafast", "-crf", "20", "-x265-params", liveX265(gopFrames, 1)));
        args.addAll(output);
        args.add(out.toString());
        run(args.toArray(String[]::new));
        return out;
    }

    private static String liveX265(int gopFrames, int slices) {
        return "keyint=" + gopFrames + ":min-keyint=" + gopFrames + ":scenecut=0:open-gop=0:bframes=0:slices=" + slices
                + ":log-level=error";
    }

    /**
     * Remuxes a raw Annex-B clip ({@code h265} or H.264) at {@code fps}, without re-encoding, into an MP4 with the
     * parameter sets in its {@code hvcC} or {@code avcC} record.
     */
    public static Path mp4(Path elementary, boolean h265, int fps, Path out) {
        run("-f", h265 ? "hevc" : "h264", "-framerate", String.valueOf(fps), "-i", elementary.toString(), "-c", "copy",
                "-tag:v", h265 ? "hvc1" : "avc1", out.toString());
        return out;
    }

    private static void run(String... args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        try {
            Process ffmpeg = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ffmpeg.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("ffmpeg could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
