package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.support.SceneFrames;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Memory attention batched over objects computes what one run per object computes: the same scene and prompts through
 * a batched and a per-object export of the contract-test graphs give the same logits, scores and ids, with one
 * memory-attention run per group of objects that hold as many memories and pointers instead of one per object.
 */
@Tag("integration")
class Sam2BatchedAttentionTest {
    private static final int W = 320;
    private static final int H = 180;

    @TempDir
    Path dir;

    @Test
    void batchedMemoryAttentionMatchesOneRunPerObjectWithFewerRuns() throws Exception {
        Sam2Engine batched = engine(Sam2TestGraphs.write(dir.resolve("batched"), "tiny", "fp32", 512, 32, true));
        Sam2Engine single = engine(Sam2TestGraphs.write(dir.resolve("single"), "tiny", "fp32", 512, 32, false));
        assertThat(batched.status().detail()).doesNotContain("per object");
        assertThat(single.status().detail()).contains("memory attention per object");
        GroundTruthScene scene = GroundTruthScenes.crossing(W, H);
        SceneFrames frames = new SceneFrames(scene);
        Sam2Session a = (Sam2Session) batched.open("cam", W, H);
        Sam2Session b = (Sam2Session) single.open("cam", W, H);
        try {
            int objectFrames = 0;
            for (int t = 60; t < 100; t++) {
                // two objects from frame 60, a third from frame 70: two groups until its bank fills like theirs
                List<ObjectCommand> commands = new ArrayList<>();
                if (t == 60) {
                    commands.add(box(scene, t, 1));
                    commands.add(box(scene, t, 2));
                } else if (t == 70) {
                    commands.add(box(scene, t, 3));
                }
                try (PointerScope scope = new PointerScope()) {
                    EngineResult ra = step(a, frames, t, commands);
                    EngineResult rb = step(b, frames, t, commands);
                    assertThat(ra.outcomes()).isEqualTo(rb.outcomes());
                    assertThat(ra.objects()).extracting(o -> o.id()).isEqualTo(rb.objects().stream().map(o -> o.id()).toList());
                }
                List<Sam2Object> oa = new ArrayList<>(a.objects());
                List<Sam2Object> ob = new ArrayList<>(b.objects());
                assertThat(oa).hasSameSizeAs(ob);
                for (int i = 0; i < oa.size(); i++) {
                    assertThat(oa.get(i).objectScore).isCloseTo(ob.get(i).objectScore, within(1e-4f));
                    for (int k = 0; k < oa.get(i).logits.length; k++) {
                        // fp32: the batched graph reduces over other axes, so the last bits may differ
                        float expected = ob.get(i).logits[k];
                        assertThat(oa.get(i).logits[k]).as("frame %d object %d logit %d", t, oa.get(i).id, k)
                                .isCloseTo(expected, within(Math.max(1e-3f, 1e-5f * Math.abs(expected))));
                        assertThat(oa.get(i).logits[k] > 0).isEqualTo(expected > 0);
                    }
                    objectFrames++;
                }
            }
            assertThat(objectFrames).isEqualTo(2 * 40 + 30);
            // per object: one run per tracked object and frame (2 x 39 + 1 x 29)
            assertThat(b.attentionRuns).isEqualTo(2 * 39 + 29);
            // batched: the first two share one run per frame; the third runs alone until its selection has as many
            // memories (1 + 6) and pointers (1 + 15) as theirs, from frame 86 on (71..85 alone: 15 runs)
            assertThat(a.attentionRuns).isEqualTo(39 + 15);
        } finally {
            a.close();
            b.close();
            batched.close();
            single.close();
        }
    }

    @Test
    void maxAttentionBatchSplitsAGroupIntoRunsOfAtMostThatMany() throws Exception {
        Path models = Sam2TestGraphs.write(dir.resolve("batched"), "tiny", "fp32", 512, 32, true);
        Sam2Engine engine = new Sam2Engine(Sam2EngineTest.config(Map.of("fleet.processor.sam2.model-dir", models.toString(),
                "fleet.processor.sam2.provider", "cpu", "fleet.processor.sam2.max-attention-batch", "2")));
        GroundTruthScene scene = GroundTruthScenes.crossing(W, H);
        SceneFrames frames = new SceneFrames(scene);
        Sam2Session session = (Sam2Session) engine.open("cam", W, H);
        try {
            for (int t = 60; t < 70; t++) {
                List<ObjectCommand> commands = t > 60 ? List.of() : List.of(box(scene, t, 1), box(scene, t, 2), box(scene, t, 3));
                try (PointerScope scope = new PointerScope()) {
                    assertThat(step(session, frames, t, commands).objects()).hasSize(3);
                }
            }
            // three objects with the same bank shape, at most two per run: two runs on each of the 9 tracked frames
            assertThat(session.attentionRuns).isEqualTo(2 * 9);
        } finally {
            session.close();
            engine.close();
        }
    }

    @Test
    void onTheCpuObjectsRunOneByOneUnlessBatchingIsAskedFor() throws Exception {
        Path models = Sam2TestGraphs.write(dir.resolve("batched"), "tiny", "fp32", 512, 32, true);
        Sam2Engine unset = new Sam2Engine(Sam2EngineTest.config(Map.of("fleet.processor.sam2.model-dir",
                models.toString(), "fleet.processor.sam2.provider", "cpu")));
        Sam2Engine asked = engine(models);
        try {
            assertThat(unset.status().detail()).contains("memory attention for up to 1 object a run");
            assertThat(asked.status().detail()).contains("memory attention for up to 8 objects a run");
        } finally {
            unset.close();
            asked.close();
        }
    }

    /** An engine on the CPU with batching asked for (its CPU default is a run per object). */
    private static Sam2Engine engine(Path models) {
        return new Sam2Engine(Sam2EngineTest.config(Map.of("fleet.processor.sam2.model-dir", models.toString(),
                "fleet.processor.sam2.provider", "cpu", "fleet.processor.sam2.max-attention-batch", "8")));
    }

    private static ObjectCommand box(GroundTruthScene scene, int t, int actor) {
        int[] bb = scene.truth(t).object(actor).orElseThrow().bbox();
        return new ObjectCommand.Apply(new Prompt(null, List.of(), new Box(bb[0] - 2, bb[1] - 2, bb[2] + 4, bb[3] + 4), null));
    }

    private static EngineResult step(Sam2Session session, SceneFrames frames, int t, List<ObjectCommand> commands) {
        return session.step(new EngineInput(t, 1, frames.frame(t), List.of(), commands, null, 32, new StageTimings()));
    }
}
