package io.visionfleet.sim.camera;

import io.visionfleet.sim.scene.SyntheticVideo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * A camera sequence with known ground truth for testing visual SLAM: {@link CameraPath} through
 * {@link TexturedRoom}, seen by a known {@link PinholeCamera}, optionally degraded by blur and noise. Frame
 * {@code i} is at {@code i / fps} seconds and depends only on {@code i}. It writes its ground truth in TUM format
 * and its pictures as an H.264 MP4 (bundled FFmpeg, OpenH264), as a pull source or a test decodes it.
 */
public final class SyntheticSequence {
    /** Standard length: 450 frames, 15 s at 30 fps, along a path of about 4.6 m. */
    public static final int STANDARD_FRAMES = 450;
    public static final int STANDARD_FPS = 30;
    /** Horizontal field of view of the standard camera (a TUM-like 525 px focal length at 640 px). */
    public static final double STANDARD_HFOV_DEG = 62.7;

    /** Bumped whenever scene or path change, so cached files of an older version are not reused. */
    private static final int VERSION = 2;

    private final PinholeCamera camera;
    private final int frames;
    private final int fps;
    private final Degradation degradation;
    private final CameraPath path;
    private final SequenceRenderer renderer;

    public SyntheticSequence(PinholeCamera camera, int frames, int fps, Degradation degradation) {
        if (frames < 2 || fps <= 0) {
            throw new IllegalArgumentException("need at least 2 frames and a positive frame rate");
        }
        if (camera.width() % 2 != 0 || camera.height() % 2 != 0) {
            throw new IllegalArgumentException("H.264 in 4:2:0 needs even dimensions, got " + camera.width() + "x" + camera.height());
        }
        this.camera = camera;
        this.frames = frames;
        this.fps = fps;
        this.degradation = degradation;
        this.path = new CameraPath(frames / (double) fps);
        this.renderer = new SequenceRenderer(camera, TexturedRoom.standard());
    }

    /** The standard sequence at {@code width x height}, clean or with {@link Degradation#NOISY}. */
    public static SyntheticSequence standard(int width, int height, boolean noisy) {
        return new SyntheticSequence(PinholeCamera.withFieldOfView(width, height, STANDARD_HFOV_DEG), STANDARD_FRAMES,
                STANDARD_FPS, noisy ? Degradation.NOISY : Degradation.NONE);
    }

    public PinholeCamera camera() {
        return camera;
    }

    public int frames() {
        return frames;
    }

    public int fps() {
        return fps;
    }

    public Degradation degradation() {
        return degradation;
    }

    public CameraPath path() {
        return path;
    }

    /** Time of frame {@code i} in seconds from the start. */
    public double timestamp(int i) {
        return i / (double) fps;
    }

    /** Ground-truth camera-to-world pose of frame {@code i}. */
    public CameraPose pose(int i) {
        return path.at(timestamp(i));
    }

    /** Ground-truth depth (camera z, metres) of the surface at pixel {@code (x, y)} of frame {@code i}. */
    public double depth(int i, double x, double y) {
        return renderer.depth(pose(i), x, y);
    }

    /** Renders frame {@code i} as packed BGR24 into {@code bgr} (width * height * 3 bytes). */
    public void render(int i, byte[] bgr) {
        if (i < 0 || i >= frames) {
            throw new IndexOutOfBoundsException("frame " + i + " of " + frames);
        }
        renderer.render(pose(i), bgr);
        degradation.apply(bgr, camera.width(), camera.height(), i);
    }

    /** Writes the ground truth of every frame in TUM format ({@code timestamp tx ty tz qx qy qz qw}). */
    public void writeGroundTruth(Path file) {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("# synthetic ground truth: timestamp tx ty tz qx qy qz qw (camera-to-world, world z up)\n");
            for (int i = 0; i < frames; i++) {
                CameraPose p = pose(i);
                double[] q = p.quaternion();
                out.write(String.format(Locale.ROOT, "%.6f %.7f %.7f %.7f %.7f %.7f %.7f %.7f%n", timestamp(i),
                        p.t()[0], p.t()[1], p.t()[2], q[0], q[1], q[2], q[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing ground truth " + file, e);
        }
    }

    /** Encodes every frame into an MP4 at {@code out} with an IDR every {@code gopFrames}. */
    public Path writeMp4(Path out, int gopFrames) {
        return SyntheticVideo.mp4(out, camera.width(), camera.height(), fps, gopFrames, frames, (i, bgr) -> render((int) i, bgr));
    }

    /**
     * The MP4 and ground truth of this sequence in {@code dir}, written on first use and reused afterwards (the
     * name encodes size, length and degradation), so test classes share one encoding.
     */
    public Cached cached(Path dir) {
        String name = String.format(Locale.ROOT, "synthetic-v%d-%dx%d-%d-%s", VERSION, camera.width(), camera.height(), frames,
                degradation.equals(Degradation.NONE) ? "clean" : "b" + degradation.blurSigma() + "n" + degradation.noiseSigma());
        Path mp4 = dir.resolve(name + ".mp4");
        Path gt = dir.resolve(name + "-groundtruth.txt");
        try {
            Files.createDirectories(dir);
            if (!Files.isRegularFile(mp4) || !Files.isRegularFile(gt)) {
                Path tmp = dir.resolve(name + "-" + ProcessHandle.current().pid() + ".tmp.mp4");
                writeMp4(tmp, 30);
                writeGroundTruth(gt);
                Files.move(tmp, mp4, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("caching synthetic sequence in " + dir, e);
        }
        return new Cached(mp4, gt);
    }

    /** Where a cached sequence lives. */
    public record Cached(Path mp4, Path groundTruth) {
    }
}
