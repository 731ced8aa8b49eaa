package io.visionfleet.frameprocessor.quality;

import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.SyntheticVideo;
import io.visionfleet.frameprocessor.engine.Engine;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.engine.ObjectStatus;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.prompt.PromptStrategy;
import io.visionfleet.frameprocessor.prompt.Seeder;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs an engine on a ground-truth scene the way the service sees it, minus the network: the scene is encoded to
 * H.264 (once per directory), decoded by FFmpeg, and each decoded frame goes through an engine session in automatic
 * mode. Published (confirmed) objects are scored against the scene's truth.
 */
public final class SceneRun {
    private SceneRun() {
    }

    public static TrackingMetrics run(GroundTruthScene scene, Engine engine, PromptStrategy strategy, Path dir)
            throws Exception {
        return run(scene, engine, strategy, dir, () -> 1, timings -> { });
    }

    /**
     * As above, with the engine given only some frames, as a service over capacity does: {@code gaps} says how many
     * frames on from the last one processed the next one is (1: none skipped). Only processed frames are scored.
     */
    public static TrackingMetrics run(GroundTruthScene scene, Engine engine, PromptStrategy strategy, Path dir,
                                      IntSupplier gaps) throws Exception {
        return run(scene, engine, strategy, dir, gaps, timings -> { });
    }

    /** As above, handing each processed frame's stage times to {@code perFrame}. */
    public static TrackingMetrics run(GroundTruthScene scene, Engine engine, PromptStrategy strategy, Path dir,
                                      IntSupplier gaps, Consumer<StageTimings> perFrame) throws Exception {
        int w = scene.width();
        int h = scene.height();
        Path clip = dir.resolve(scene.name() + "-" + w + "x" + h + ".mp4");
        if (!Files.exists(clip)) {
            SyntheticVideo.mp4(clip, w, h, 30, 30, scene.frames(), scene::render);
        }
        TrackingMetrics metrics = new TrackingMetrics();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
             EngineSession session = engine.open(scene.name(), w, h);
             Seeder seeder = strategy.open(w, h)) {
            grabber.start();
            int index = 0;
            int processed = 0;
            int last = -1;
            int next = 0;
            for (Frame frame; (frame = grabber.grabImage()) != null; index++) {
                if (index < next) {
                    continue;
                }
                int elapsed = last < 0 ? 1 : index - last;
                last = index;
                next = index + Math.max(1, gaps.getAsInt());
                try (PointerScope scope = new PointerScope()) {
                    Mat bgr = converter.convert(frame);
                    StageTimings timings = new StageTimings();
                    EngineResult result = session.step(new EngineInput(processed++, elapsed, bgr, List.of(), List.of(),
                            seeder, 32, timings));
                    perFrame.accept(timings);
                    List<Hypothesis> found = result.objects().stream()
                            .filter(o -> o.status() == ObjectStatus.CONFIRMED)
                            .map(Hypothesis::of)
                            .toList();
                    metrics.add(scene.truth(index), found);
                }
            }
            if (index != scene.frames()) {
                throw new IllegalStateException("decoded " + index + " of " + scene.frames() + " frames");
            }
        }
        return metrics;
    }
}
