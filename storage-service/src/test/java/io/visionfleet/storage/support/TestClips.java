package io.visionfleet.storage.support;

import io.visionfleet.common.testing.SystemFfmpeg;
import io.visionfleet.sim.scene.SyntheticVideo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The source clips the tests' relay loops: the synthetic scene in H.264 at 320x240, 25 fps, a key frame every second,
 * 10 s long; and FFmpeg's test pattern in H.265 (libx265) at the same size, rate and GOP, 4 s long, four slices per
 * picture. Encoded once per test JVM into {@code target/}.
 */
public final class TestClips {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 25;
    public static final int GOP = 25;
    public static final int FRAMES = 250;
    public static final long FRAME_MS = 1000 / FPS;
    public static final int HEVC_FRAMES = 100;

    private static Path clip;
    private static Path hevcClip;

    private TestClips() {
    }

    public static synchronized Path clip() {
        if (clip == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "clips"));
                clip = SyntheticVideo.mp4(dir.resolve("scene-320x240-25fps.mp4"), WIDTH, HEIGHT, FPS, GOP, FRAMES);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return clip;
    }

    public static synchronized Path hevcClip() {
        if (hevcClip == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "clips"));
                Path raw = SystemFfmpeg.x265(dir.resolve("pattern-320x240-25fps.h265"), WIDTH, HEIGHT, FPS, GOP,
                        HEVC_FRAMES, 4);
                hevcClip = SystemFfmpeg.mp4(raw, true, FPS, dir.resolve("pattern-320x240-25fps-hevc.mp4"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return hevcClip;
    }
}
