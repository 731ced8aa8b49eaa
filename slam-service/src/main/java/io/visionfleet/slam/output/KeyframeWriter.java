package io.visionfleet.slam.output;

import io.quarkus.runtime.ShutdownEvent;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.slam.config.SlamConfig;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TumTrajectory;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/**
 * Saves keyframes as {@code <output-dir>/<stream>/keyframes/<frame_number>.jpg} and appends their poses to
 * {@code keyframes.txt} in the same directory ({@code frame_number segment timestamp tx ty tz qx qy qz qw}), on
 * one background thread so JPEG encoding and disk latency stay off the frame path. When the disk falls behind,
 * keyframes beyond a short queue are skipped and counted.
 */
@ApplicationScoped
public class KeyframeWriter {
    private static final Logger LOG = Logger.getLogger(KeyframeWriter.class);
    private static final int QUEUE = 16;
    private static final int JPEG_QUALITY = 90;

    private final SlamConfig config;
    private final ThreadPoolExecutor executor;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public KeyframeWriter(SlamConfig config) {
        this.config = config;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), DaemonThreads.named("keyframe-writer"));
    }

    /** Queues keyframe {@code frameNumber} of {@code streamId}; {@code bgr} is copied, so the caller keeps ownership. */
    public void save(String streamId, long frameNumber, int segment, StampedPose pose, Mat bgr) {
        if (!config.keyframeImages()) {
            return;
        }
        Mat copy = bgr.clone();
        copy.retainReference(); // released by the writer thread, after the frame's scope has closed
        try {
            executor.execute(() -> write(streamId, frameNumber, segment, pose, copy));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            copy.releaseReference();
            if (skipped.incrementAndGet() == 1) {
                LOG.warnf("keyframe images of %s are written slower than they come: skipping some", streamId);
            }
        }
    }

    private void write(String streamId, long frameNumber, int segment, StampedPose pose, Mat image) {
        try {
            Path dir = config.outputDir().resolve(streamId);
            Path images = dir.resolve("keyframes");
            Files.createDirectories(images);
            Path jpg = images.resolve(frameNumber + ".jpg");
            if (!imwrite(jpg.toString(), image, new IntPointer(IMWRITE_JPEG_QUALITY, JPEG_QUALITY))) {
                throw new IOException("OpenCV could not write " + jpg);
            }
            String line = frameNumber + " " + segment + " " + TumTrajectory.line(pose) + "\n";
            Path poses = dir.resolve("keyframes.txt");
            boolean fresh = !Files.exists(poses);
            try (Writer out = Files.newBufferedWriter(poses, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                if (fresh) {
                    out.write("# frame_number segment timestamp tx ty tz qx qy qz qw (camera-to-world at creation)\n");
                }
                out.write(line);
            }
        } catch (IOException | RuntimeException e) {
            if (failed.incrementAndGet() == 1) {
                LOG.warnf("cannot save keyframes of %s under %s: %s (further failures are counted only)", streamId,
                        config.outputDir().toAbsolutePath(), e.getMessage());
            }
        } finally {
            image.releaseReference();
        }
    }

    /** Finishes queued writes (after the consumer stopped, so no new keyframes come). */
    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) ShutdownEvent event) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warnf("keyframe writes still pending at shutdown were abandoned");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
