package io.visionfleet.frameprocessor.sam2;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.ObjectEvent;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.frameprocessor.detect.YoloDetector;
import io.visionfleet.frameprocessor.detect.YoloModels;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.pipeline.Stages;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.prompt.DetectorStrategy;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.support.SceneFrames;
import io.visionfleet.frameprocessor.support.TestConfig;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.visionfleet.frameprocessor.support.TruthMasks.iou;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detector-prompted SAM2 (Grounded-SAM-2 style), end to end through a stream pipeline: the real YOLO detector on a
 * fixture graph with the YOLO output layout finds two actors of the crossing scene, the {@code detector} strategy
 * turns its boxes into SAM2 box prompts on the contract-test graphs, and the published objects carry the detector's
 * labels, follow the actors under the same ids, and are not seeded twice on later re-prompt frames.
 */
@Tag("quick")
class Sam2DetectorPromptTest {
    private static final int W = 320;
    private static final int H = 180;
    /** YOLO input side: a 320x180 frame is scaled by 2 and padded by 140 rows above and below. */
    private static final int NET = 640;
    private static final int START = 60;

    @TempDir
    Path dir;

    @Test
    void detectorBoxesBecomeLabelledSam2ObjectsThatAreTrackedWithoutDuplicates() throws Exception {
        GroundTruthScene scene = GroundTruthScenes.crossing(W, H);
        FrameTruth first = scene.truth(START);
        int[] red = first.object(1).orElseThrow().bbox();
        int[] blue = first.object(2).orElseThrow().bbox();
        assertThat(first.object(1).orElseThrow().visibleFraction()).isGreaterThan(0.95);
        assertThat(first.object(2).orElseThrow().visibleFraction()).isGreaterThan(0.95);
        // two detections; the other anchors score nothing (a YOLO output has more anchors than channels)
        int anchors = 16;
        float[][] boxes = new float[anchors][];
        float[][] scores = new float[anchors][2];
        for (int i = 0; i < anchors; i++) {
            boxes[i] = new float[]{NET / 2f, NET / 2f, 10, 10};
        }
        boxes[0] = network(red);
        scores[0][0] = 0.9f;
        boxes[1] = network(blue);
        scores[1][1] = 0.8f;
        Path model = YoloModels.write(dir.resolve("yolo.onnx"), NET, boxes, scores, new float[anchors][2]);
        Path labels = Files.writeString(dir.resolve("labels.txt"), "person\ncar\n");
        Path models = Sam2TestGraphs.write(dir.resolve("models"), "tiny", "fp32", 512, 32);
        Map<String, String> settings = Map.of(
                "fleet.processor.detector", "yolo",
                "fleet.processor.yolo.model", model.toString(),
                "fleet.processor.yolo.labels", labels.toString(),
                "fleet.processor.prompt-strategy", DetectorStrategy.NAME,
                "fleet.processor.reprompt-interval", "4");
        YoloDetector detector = new YoloDetector(TestConfig.processor(settings));
        detector.start();
        assertThat(detector.status().ready()).as(detector.status().detail()).isTrue();
        // the contract graphs' masks follow pixel intensities, and this scene's seed-coverage margins were set on
        // bilinear pixels; what is checked here is the detector-to-prompt path, not the resampling
        Sam2Engine sam2 = new Sam2Engine(Sam2EngineTest.config(Map.of("fleet.processor.sam2.model-dir", models.toString(),
                "fleet.processor.sam2.provider", "cpu", "fleet.processor.sam2.resize", "linear")));

        List<ProcessedFrame> published = new CopyOnWriteArrayList<>();
        SceneFrames frames = new SceneFrames(scene);
        Map<Long, String> labelOf = new HashMap<>();
        Map<Long, Integer> truthOf = new HashMap<>();
        List<Double> ious = new java.util.ArrayList<>();
        try (StreamPipeline pipeline = new StreamPipeline("cam", new Stages(detector, sam2, new DetectorStrategy()),
                TestConfig.processor(settings), Mode.AUTOMATIC, new SimpleMeterRegistry(), published::add, new OverlayFeed(0))) {
            // three re-prompt frames (0, 4, 8): the boxes of tracked objects are covered and seed nothing new
            for (int f = START; f < START + 12; f++) {
                assertThat(frames.feed(pipeline, "cam", f)).isTrue();
                ProcessedFrame r = published.get(published.size() - 1);
                assertThat(r.engine()).isEqualTo(Sam2Engine.NAME);
                assertThat(r.stageMs()).containsKeys("detector", "sam2.encoder");
                assertThat(r.stageMs().containsKey("sam2.seeding")).as("frame %d seeds", f).isEqualTo((f - START) % 4 == 0);
                assertThat(r.objects()).as("frame %d: one object per detected actor", f).hasSize(2);
                FrameTruth truth = scene.truth(f);
                for (TrackedObject o : r.objects()) {
                    int actor = iou(truth, 1, CocoRle.decode(o.mask())) > iou(truth, 2, CocoRle.decode(o.mask())) ? 1 : 2;
                    assertThat(truthOf.computeIfAbsent(o.id(), id -> actor)).as("object %d stays on its actor", o.id()).isEqualTo(actor);
                    ious.add(iou(truth, actor, CocoRle.decode(o.mask())));
                    assertThat(labelOf.computeIfAbsent(o.id(), id -> o.label())).isEqualTo(o.label());
                }
            }
        }
        assertThat(ious).hasSize(24);
        assertThat(ious.stream().mapToDouble(Double::doubleValue).min().orElse(0)).as("IoU with the truth %s", ious)
                .isGreaterThan(0.5); // the fixture's colour tracker on a 128x128 mask: 0.59-0.66 red box, 0.82-0.84 blue disc
        assertThat(labelOf).hasSize(2);
        assertThat(truthOf).hasSize(2);
        for (var e : truthOf.entrySet()) {
            assertThat(labelOf.get(e.getKey())).as("the detector's label of actor %d", e.getValue())
                    .isEqualTo(e.getValue() == 1 ? "person" : "car");
        }
        assertThat(published.get(0).events()).extracting(ObjectEvent::event).containsOnly(ObjectEvent.NEW);
        assertThat(published.get(0).events()).extracting(ObjectEvent::label).containsExactlyInAnyOrder("person", "car");
    }

    /** A frame box {x, y, w, h} (2 px margin) as the YOLO network's {cx, cy, w, h}. */
    private static float[] network(int[] box) {
        float scale = (float) NET / W;
        float pad = (NET - H * scale) / 2;
        return new float[]{(box[0] + box[2] / 2f) * scale, (box[1] + box[3] / 2f) * scale + pad,
                (box[2] + 4) * scale, (box[3] + 4) * scale};
    }
}
