package io.visionfleet.faults;

import io.visionfleet.sim.scene.SyntheticVideo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The video the fault suite's relay loops as a pull source: the synthetic scene at 320x240, 25 fps, a key frame
 * every second, 10 s long. Encoded once per test JVM into {@code target/clips}.
 */
final class SyntheticClip {
    static final int FPS = 25;
    private static Path clip;

    private SyntheticClip() {
    }

    static synchronized Path get() {
        if (clip == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "clips"));
                clip = SyntheticVideo.mp4(dir.resolve("fault-320x240-25fps.mp4"), 320, 240, FPS, FPS, 10 * FPS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return clip;
    }
}
