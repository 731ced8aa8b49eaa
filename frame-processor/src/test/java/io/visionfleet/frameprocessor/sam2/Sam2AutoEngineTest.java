package io.visionfleet.frameprocessor.sam2;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.frameprocessor.engine.AutoEngine;
import io.visionfleet.frameprocessor.engine.EngineChoice;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.pipeline.Stages;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.support.SceneFrames;
import io.visionfleet.frameprocessor.support.TestConfig;
import io.visionfleet.sim.scene.GroundTruthScenes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code engine=auto}: without SAM2 graphs a stream is tracked by the motion engine (objects published, the choice
 * and its reason reported); once an export is in place, streams opened afterwards run SAM2 while a running one keeps
 * its engine.
 */
@Tag("quick")
class Sam2AutoEngineTest {
    private static final int W = 320;
    private static final int H = 180;

    @TempDir
    Path dir;

    @Test
    void withoutGraphsStreamsAreTrackedByMotionAndStreamsOpenedAfterTheExportAppearsRunSam2() throws Exception {
        Path models = dir.resolve("models");
        Sam2Engine sam2 = new Sam2Engine(Sam2EngineTest.config(Map.of("fleet.processor.sam2.model-dir", models.toString(),
                "fleet.processor.sam2.provider", "cpu")));
        AutoEngine auto = new AutoEngine(sam2, new MotionEngine(TestConfig.defaults()));

        EngineChoice fallback = auto.choose();
        assertThat(fallback.name()).isEqualTo(MotionEngine.NAME);
        assertThat(fallback.reason()).contains("SAM2 not ready", "image_encoder.onnx", "tiny-fp32");
        assertThat(auto.status().ready()).as("auto is ready on the motion engine").isTrue();
        assertThat(sam2.status().ready()).isFalse();

        SceneFrames frames = new SceneFrames(GroundTruthScenes.crossing(W, H));
        List<ProcessedFrame> first = new CopyOnWriteArrayList<>();
        try (StreamPipeline motionStream = pipeline(auto, first)) {
            for (int i = 0; i < 60; i++) {
                assertThat(frames.feed(motionStream, "cam", i)).isTrue();
            }
            assertThat(first).hasSize(60).allSatisfy(f -> assertThat(f.engine()).isEqualTo(MotionEngine.NAME));
            assertThat(first.stream().mapToInt(f -> f.objects().size()).max().orElse(0))
                    .as("the motion engine publishes the moving actors").isPositive();
            assertThat(motionStream.engine().reason()).contains("SAM2 not ready");

            Sam2TestGraphs.write(models, "tiny", "fp32", 512, 32);
            EngineChoice loaded = auto.choose();
            assertThat(loaded.name()).as("the export is picked up without a restart").isEqualTo(Sam2Engine.NAME);
            assertThat(loaded.reason()).contains("SAM2 graphs loaded", "tiny-fp32", "CPU");

            assertThat(frames.feed(motionStream, "cam", 60)).isTrue();
            assertThat(first.get(first.size() - 1).engine()).as("a running stream keeps its engine").isEqualTo(MotionEngine.NAME);
        }

        List<ProcessedFrame> second = new CopyOnWriteArrayList<>();
        try (StreamPipeline sam2Stream = pipeline(auto, second)) {
            for (int i = 60; i < 100; i++) { // every actor in view
                assertThat(frames.feed(sam2Stream, "cam2", i)).isTrue();
            }
            assertThat(sam2Stream.engine().name()).isEqualTo(Sam2Engine.NAME);
            assertThat(second).hasSize(40).allSatisfy(f -> {
                assertThat(f.engine()).isEqualTo(Sam2Engine.NAME);
                assertThat(f.stageMs()).containsKey("sam2.encoder");
            });
            assertThat(second.stream().mapToInt(f -> f.objects().size()).max().orElse(0))
                    .as("SAM2 objects seeded on the moving actors").isPositive();
        }
    }

    private static StreamPipeline pipeline(AutoEngine engine, List<ProcessedFrame> sink) {
        return new StreamPipeline("cam", new Stages(null, engine, new MotionStrategy()),
                TestConfig.processor(Map.of("fleet.processor.reprompt-interval", "5")), Mode.AUTOMATIC,
                new SimpleMeterRegistry(), sink::add, new OverlayFeed(0));
    }
}
