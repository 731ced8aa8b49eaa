package io.visionfleet.frameprocessor.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.ObjectEvent;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import io.visionfleet.frameprocessor.support.SceneFrames;
import io.visionfleet.frameprocessor.support.TestConfig;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.visionfleet.frameprocessor.support.TruthMasks.dominantActor;
import static io.visionfleet.frameprocessor.support.TruthMasks.iou;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/** One stream's pipeline fed with raw frames of ground-truth scenes: messages, events, prompts, modes, overlay. */
@Tag("quick")
class StreamPipelineTest {
    private static final int W = 320;
    private static final int H = 180;

    private final List<ProcessedFrame> published = new CopyOnWriteArrayList<>();
    private final OverlayFeed overlay = new OverlayFeed(0);
    private StreamPipeline pipeline;
    private SceneFrames frames;
    private long next;

    private void start(GroundTruthScene scene, Mode mode) {
        start(scene, mode, Map.of());
    }

    private void start(GroundTruthScene scene, Mode mode, Map<String, String> config) {
        frames = new SceneFrames(scene);
        pipeline = new StreamPipeline("cam", new Stages(null, new MotionEngine(TestConfig.processor(config)), new MotionStrategy()),
                TestConfig.processor(config), mode, new SimpleMeterRegistry(), published::add, overlay);
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    private ProcessedFrame step() {
        assertThat(frames.feed(pipeline, "cam", next++)).isTrue();
        return published.get(published.size() - 1);
    }

    @Test
    void everyFrameIsPublishedWithItsIdentityStageTimesAndObjectsWhoseMasksMatchTheTruth() {
        GroundTruthScene scene = GroundTruthScenes.crossing(W, H);
        start(scene, Mode.AUTOMATIC);
        Map<Integer, Long> idOfActor = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            ProcessedFrame r = step();
            assertThat(r.streamId()).isEqualTo("cam");
            assertThat(r.frameNumber()).isEqualTo(i + 1);
            assertThat(r.captureTs()).isEqualTo(SceneFrames.FIRST_CAPTURE_TS + i * 33L);
            assertThat(r.timing().decodedTs()).isEqualTo(SceneFrames.decodedTs(i));
            assertThat(List.of(r.timing().startedTs(), r.timing().engineTs(), r.timing().publishedTs()))
                    .as("hop times in the order the frame passed them").isSorted();
            assertThat(r.width()).isEqualTo(W);
            assertThat(r.engine()).isEqualTo("motion");
            assertThat(r.stageMs()).containsKeys("engine", "motion.camera", "motion.background", "motion.tracking",
                    "tracks", "encode");
            if (i > 20) {
                assertThat(r.stageMs()).as("regions are looked for once the background model has warmed up")
                        .containsKey("motion.regions");
            }
            FrameTruth truth = scene.truth(i);
            for (TrackedObject o : r.objects()) {
                byte[] mask = CocoRle.decode(o.mask());
                int actor = dominantActor(truth, mask);
                if (actor == 0 || !truth.object(actor).orElseThrow().counted()) {
                    continue;
                }
                assertThat(iou(truth, actor, mask)).as("mask IoU of object %d in frame %d", o.id(), i).isGreaterThan(0.8);
                assertThat(idOfActor.computeIfAbsent(actor, a -> o.id())).as("id of actor %d in frame %d", actor, i)
                        .isEqualTo(o.id());
                assertThat(o.area()).isEqualTo(count(mask));
                assertThat(o.polygon().length).isBetween(6, 128);
                assertThat(o.label()).isEqualTo("object");
            }
        }
        assertThat(idOfActor).hasSize(4);
        List<ObjectEvent> news = events(ObjectEvent.NEW);
        assertThat(news).extracting(ObjectEvent::objectId).containsExactlyInAnyOrderElementsOf(idOfActor.values());
    }

    @Test
    void noMoreObjectsThanTheLimitAreFollowed() {
        start(GroundTruthScenes.crossing(W, H), Mode.AUTOMATIC, Map.of("fleet.processor.max-objects-per-stream", "2"));
        int most = 0;
        for (int i = 0; i < 200; i++) {
            most = Math.max(most, step().objects().size());
        }
        assertThat(most).isEqualTo(2);
    }

    @Test
    void objectsThatLeaveAreRemovedAndTheirIdsNeverComeBack() {
        start(GroundTruthScenes.enterLeave(W, H), Mode.AUTOMATIC);
        for (int i = 0; i < 200; i++) {
            step();
        }
        List<Long> removed = events(ObjectEvent.REMOVED).stream().map(ObjectEvent::objectId).toList();
        assertThat(removed).hasSizeGreaterThanOrEqualTo(2);
        long lastRemoval = 0;
        for (int i = 0; i < published.size(); i++) {
            for (ObjectEvent e : published.get(i).events()) {
                if (e.event().equals(ObjectEvent.REMOVED)) {
                    lastRemoval = i;
                    final long id = e.objectId();
                    assertThat(published.subList(i, published.size()))
                            .allSatisfy(r -> assertThat(r.objects()).noneMatch(o -> o.id() == id));
                }
            }
        }
        assertThat(lastRemoval).isPositive();
    }

    @Test
    void interactiveModeFollowsOnlyPromptedObjectsAndANegativePointRemovesOne() throws Exception {
        GroundTruthScene scene = GroundTruthScenes.crossing(W, H);
        start(scene, Mode.AUTOMATIC);
        for (int i = 0; i < 40; i++) {
            step();
        }
        assertThat(step().objects()).hasSizeGreaterThanOrEqualTo(2);
        pipeline.mode(Mode.INTERACTIVE);
        ProcessedFrame switched = step();
        assertThat(switched.objects()).isEmpty();
        assertThat(switched.events()).extracting(ObjectEvent::event).containsOnly(ObjectEvent.REMOVED);

        int[] red = scene.truth(next).object(1).orElseThrow().bbox();
        CompletableFuture<CommandOutcome> selected = pipeline.submit(new ObjectCommand.Apply(new Prompt(null, List.of(),
                new Box(red[0] - 2, red[1] - 2, red[2] + 4, red[3] + 4), "cart")));
        ProcessedFrame prompted = step();
        CommandOutcome outcome = selected.get();
        assertThat(outcome.applied()).isTrue();
        assertThat(prompted.objects()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo(outcome.objectId());
            assertThat(o.label()).isEqualTo("cart");
        });
        for (int i = 0; i < 10; i++) {
            assertThat(step().objects()).extracting(TrackedObject::id).containsExactly(outcome.objectId());
        }

        int[] now = scene.truth(next).object(1).orElseThrow().bbox();
        CompletableFuture<CommandOutcome> removal = pipeline.submit(new ObjectCommand.Apply(new Prompt(null,
                List.of(new PromptPoint(now[0] + now[2] / 2.0, now[1] + now[3] / 2.0, false)), null, null)));
        ProcessedFrame afterRemoval = step();
        assertThat(removal.get().applied()).isTrue();
        assertThat(removal.get().objectId()).isEqualTo(outcome.objectId());
        assertThat(afterRemoval.objects()).isEmpty();
        assertThat(afterRemoval.events()).containsExactly(new ObjectEvent(outcome.objectId(), ObjectEvent.REMOVED, "cart"));
        for (int i = 0; i < 20; i++) {
            assertThat(step().objects()).isEmpty();
        }
    }

    @Test
    void aPromptOnNothingAndARemovalOfAnUnknownObjectAreRefusedWithReasons() throws Exception {
        start(GroundTruthScenes.crossing(W, H), Mode.AUTOMATIC);
        for (int i = 0; i < 40; i++) {
            step();
        }
        CompletableFuture<CommandOutcome> nothing = pipeline.submit(new ObjectCommand.Apply(new Prompt(null,
                List.of(new PromptPoint(5, H - 5, true)), null, null)));
        CompletableFuture<CommandOutcome> unknown = pipeline.submit(new ObjectCommand.Remove(999));
        step();
        assertThat(nothing.get().applied()).isFalse();
        assertThat(nothing.get().detail()).contains("no moving region");
        assertThat(unknown.get().applied()).isFalse();
        assertThat(unknown.get().detail()).contains("no object 999");
    }

    @Test
    void promptsBeyondTheQueueLimitAreRefusedAndPendingOnesFailWhenThePipelineCloses() {
        start(GroundTruthScenes.crossing(W, H), Mode.AUTOMATIC);
        List<CompletableFuture<CommandOutcome>> queued = new ArrayList<>();
        for (int i = 0; i < StreamPipeline.MAX_PENDING_COMMANDS; i++) {
            queued.add(pipeline.submit(new ObjectCommand.Remove(1)));
        }
        assertThat(pipeline.submit(new ObjectCommand.Remove(1))).isCompletedExceptionally();
        pipeline.close();
        assertThat(queued).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(pipeline.process(SceneFrames.meta("cam", 0), SceneFrames.decodedTs(0), frames.frame(0))).isFalse();
    }

    @Test
    void theOverlayIsRenderedOnlyWhileWatchedAndDecodesToTheFrameSize() throws Exception {
        start(GroundTruthScenes.crossing(W, H), Mode.AUTOMATIC);
        List<byte[]> pictures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 30; i++) {
            step();
        }
        try (AutoCloseable watching = overlay.watch(pictures::add)) {
            for (int i = 0; i < 5; i++) {
                step();
            }
        }
        step();
        assertThat(pictures).as("one picture per frame while watched, none otherwise").hasSize(5);
        try (PointerScope scope = new PointerScope()) {
            byte[] jpeg = pictures.get(4);
            Mat decoded = imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
            assertThat(decoded.cols()).isEqualTo(W);
            assertThat(decoded.rows()).isEqualTo(H);
        }
    }

    private List<ObjectEvent> events(String kind) {
        return published.stream().flatMap(r -> r.events().stream()).filter(e -> e.event().equals(kind)).toList();
    }

    private static int count(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }
}
