package io.visionfleet.storage.support;

import io.visionfleet.sim.scene.SyntheticVideo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The source clip the tests' relay loops: the synthetic scene at 320x240, 25 fps, a key frame every second,
 * 10 s long. Encoded once per test JVM into {@code target/}.
 */
public final class TestClips {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 25;
    public static final int GOP = 25;
    public static final int FRAMES = 250;
    public static final long FRAME_MS = 1000 / FPS;

    private static Path clip;

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
}
