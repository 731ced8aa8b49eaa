package io.visionfleet.frameprocessor.sam2;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.ObjectEvent;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.stage.StageStatus;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.pipeline.Stages;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.support.SceneFrames;
import io.visionfleet.frameprocessor.support.TestConfig;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.visionfleet.frameprocessor.support.TruthMasks.iou;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sam2 engine in a stream pipeline, on the contract-test graphs (a colour tracker with SAM2's I/O), fed raw
 * frames of ground-truth scenes: prompts, tracking through memory, occlusion by the object score, readiness.
 */
@Tag("quick")
class Sam2EngineTest {
    private static final int W = 320;
    private static final int H = 180;
    @TempDir
    static Path models;

    private final List<ProcessedFrame> published = new CopyOnWriteArrayList<>();
    private StreamPipeline pipeline;
    private SceneFrames frames;
    private long next;

    @BeforeAll
    static void graphs() throws Exception {
        Sam2TestGraphs.write(models, "tiny", "fp32", 512, 32);
    }

    static Sam2Config config(Map<String, String> overrides) {
        return new SmallRyeConfigBuilder().withMapping(Sam2Config.class)
                .withSources(new PropertiesConfigSource(overrides, "test", 400)).build()
                .getConfigMapping(Sam2Config.class);
    }

    private static Sam2Engine engine() {
        return new Sam2Engine(config(Map.of("fleet.processor.sam2.model-dir", models.toString(), "fleet.processor.sam2.provider", "cpu")));
    }

    private void start(GroundTruthScene scene, Mode mode) {
        frames = new SceneFrames(scene);
        pipeline = new StreamPipeline("cam", new Stages(null, engine(), new MotionStrategy()), TestConfig.defaults(), mode,
                new SimpleMeterRegistry(), published::add, new OverlayFeed(0));
    }

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private ProcessedFrame step() {
        assertThat(frames.feed(pipeline, "cam", next++)).isTrue();
        return published.get(published.size() - 1);
    }

    @Test
    void withoutModelFilesTheEngineSaysWhichAreMissingAndStreamsPassWithNoObjects() {
        Sam2Engine engine = new Sam2Engine(config(Map.of("fleet.processor.sam2.model-dir", models.resolve("none").toString())));
        StageStatus status = engine.status();
        assertThat(status.ready()).isFalse();
        assertThat(status.detail()).contains("missing", "tiny-fp32", "image_encoder.onnx", "export_sam2.py");
        try (var session = engine.open("cam", W, H); PointerScope scope = new PointerScope()) {
            var result = session.step(new EngineInput(0, 1, new SceneFrames(GroundTruthScenes.crossing(W, H)).frame(0),
                    List.of(), List.of(new ObjectCommand.Remove(3)), null, 8, new StageTimings()));
            assertThat(result.objects()).isEmpty();
            assertThat(result.outcomes()).singleElement().satisfies(o -> assertThat(o.detail()).contains("SAM2 is not ready"));
        }
        assertThat(new Sam2Engine(config(Map.of("fleet.processor.sam2.size", "huge"))).status().detail())
                .contains("tiny, small, base_plus or large");
    }

    @Test
    void theGraphsLoadWithTheirShapesAndTheProviderIsNamed() {
        StageStatus status = engine().status();
        assertThat(status.ready()).as(status.detail()).isTrue();
        assertThat(status.detail()).contains("tiny-fp32", "input 512x512", "CPU");
    }

    @Test
    void aBoxPromptStartsAnObjectThatMemoryFollowsThroughOcclusionWithTheSameId() throws Exception {
        GroundTruthScene scene = GroundTruthScenes.occlusion(W, H);
        start(scene, Mode.INTERACTIVE);
        for (int i = 0; i < 40; i++) {
            assertThat(step().objects()).isEmpty();
        }
        int[] red = scene.truth(next).object(1).orElseThrow().bbox();
        CompletableFuture<CommandOutcome> created = pipeline.submit(new ObjectCommand.Apply(new Prompt(null, List.of(),
                new Box(red[0] - 2, red[1] - 2, red[2] + 4, red[3] + 4), "ball")));
        step();
        CommandOutcome outcome = created.get();
        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.created()).isTrue();
        long id = outcome.objectId();
        List<Double> ious = new ArrayList<>();
        Map<String, Integer> events = new HashMap<>();
        boolean hiddenSeen = false;
        for (int i = 0; i < 130; i++) {
            ProcessedFrame r = step();
            r.events().forEach(e -> events.merge(e.event(), 1, Integer::sum));
            assertThat(r.stageMs()).containsKeys("sam2.encoder", "sam2.memory_attention", "sam2.decoder",
                    "sam2.memory_encoder", "sam2.masks");
            FrameTruth truth = scene.truth(next - 1);
            FrameTruth.ObjectTruth ball = truth.object(1).orElse(null);
            boolean visible = ball != null && ball.visibleFraction() > 0.6 && ball.area() > 100;
            if (ball == null || ball.area() == 0) {
                hiddenSeen = true;
                assertThat(r.objects()).as("frame %d: hidden behind the pillar", next - 1).isEmpty();
            }
            for (TrackedObject o : r.objects()) {
                assertThat(o.id()).isEqualTo(id);
                assertThat(o.label()).isEqualTo("ball");
                if (visible) {
                    ious.add(iou(truth, 1, CocoRle.decode(o.mask())));
                }
            }
        }
        assertThat(hiddenSeen).as("the scene hides the ball behind the pillar").isTrue();
        // a correction prompt on the tracked object keeps its id
        int[] now = scene.truth(next).object(1).orElseThrow().bbox();
        CompletableFuture<CommandOutcome> corrected = pipeline.submit(new ObjectCommand.Apply(new Prompt(id,
                List.of(new io.visionfleet.frameprocessor.prompt.PromptPoint(now[0] + now[2] / 2.0, now[1] + now[3] / 2.0, true)),
                null, "red ball")));
        ProcessedFrame after = step();
        assertThat(corrected.get()).isEqualTo(CommandOutcome.corrected(id).atFrame(after.captureTs()));
        assertThat(after.objects()).singleElement().satisfies(o -> assertThat(o.id()).isEqualTo(id));
        CompletableFuture<CommandOutcome> unknown = pipeline.submit(new ObjectCommand.Apply(new Prompt(99L, List.of(),
                new Box(1, 1, 5, 5), null)));
        step();
        assertThat(unknown.get().applied()).isFalse();
        assertThat(unknown.get().detail()).contains("no object 99");
        assertThat(events).containsEntry(ObjectEvent.LOST, 1).containsEntry(ObjectEvent.RECOVERED, 1)
                .doesNotContainKey(ObjectEvent.REMOVED);
        assertThat(ious).hasSizeGreaterThan(60);
        assertThat(ious.stream().mapToDouble(Double::doubleValue).average().orElse(0)).isGreaterThan(0.7);
    }
}
