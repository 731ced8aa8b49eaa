package io.visionfleet.frameprocessor.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.support.TestConfig;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's box prompt on a real camera's video, through one stream's pipeline as a loaded frame-processor runs
 * it: opencv-doc's vtest.avi (768x576 pedestrians, 10 fps), every other frame processed (the rest skipped for
 * capacity), the box drawn around a pedestrian on one picture and applied {@link #LATE} processed frames later, carried
 * there by the object's motion. The stream switches to interactive mode first, so only prompted objects are published.
 * Prompted pedestrians cross and walk in groups; a prompt must give an object that stays published.
 */
@Tag("integration")
class PromptOnARealClipTest {
    private static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    /** Processed frames between the picture the box is drawn on and the frame it is applied to (600 ms here). */
    private static final int LATE = 3;
    /** Processed frames a prompted object is followed for (3 s), and on how many (two thirds) it must be published. */
    private static final int FOLLOWED = 15;
    private static final int KEPT = 10;
    /** Pixels a target keeps from the picture's edges. */
    private static final int EDGE = 40;

    private final List<ProcessedFrame> published = new ArrayList<>();

    @Test
    void pedestriansBoxedOnAnOlderPictureStayPublished() throws Exception {
        Assumptions.assumeTrue(Files.exists(VTEST), "opencv-doc's vtest.avi is not installed");
        List<String> trials = new ArrayList<>();
        int kept = 0;
        Stages stages = new Stages(null, new MotionEngine(TestConfig.defaults()), new MotionStrategy());
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(VTEST.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
             StreamPipeline pipeline = new StreamPipeline("vtest", stages, TestConfig.defaults(), Mode.AUTOMATIC,
                     new SimpleMeterRegistry(), published::add, new OverlayFeed(0))) {
            grabber.start();
            Map<Long, Integer> sightings = new HashMap<>();
            ProcessedFrame drawnOn = null;
            Box target = null;
            CompletableFuture<CommandOutcome> answer = null;
            int since = 0;
            int shown = 0;
            Frame frame;
            for (long n = 0; (frame = grabber.grabImage()) != null; n++) {
                if (n % 2 == 1) {
                    continue;
                }
                try (PointerScope scope = new PointerScope()) {
                    long captureTs = 1_795_290_000_000L + n * 100;
                    assertThat(pipeline.process(new FrameMeta("vtest", n + 1, captureTs, n * 100_000, n % 30 == 0,
                            CaptureClock.Source.RTCP), captureTs + 5, converter.convert(frame))).isTrue();
                }
                ProcessedFrame result = published.get(published.size() - 1);
                since++;
                if (target == null) {
                    for (TrackedObject o : result.objects()) {
                        if (sightings.merge(o.id(), 1, Integer::sum) >= 3 && awayFromTheEdges(o.bbox(), result)) {
                            target = new Box(o.bbox()[0], o.bbox()[1], o.bbox()[2], o.bbox()[3]);
                            drawnOn = result;
                            pipeline.mode(Mode.INTERACTIVE);
                            since = 0;
                            break;
                        }
                    }
                } else if (answer == null && since == LATE) {
                    answer = pipeline.submit(new ObjectCommand.Apply(new Prompt(null, List.of(),
                            DragBox.around(target, result.width(), result.height()), null), drawnOn.captureTs()));
                    since = 0;
                    shown = 0;
                } else if (answer != null) {
                    CommandOutcome outcome = answer.getNow(null);
                    assertThat(outcome).as("answered on the frame after it was sent").isNotNull();
                    shown += result.objects().stream().anyMatch(o -> o.id() == outcome.objectId()) ? 1 : 0;
                    if (since == FOLLOWED) {
                        trials.add(String.format("frame %d, %s: #%d (%s) published on %d of %d frames",
                                drawnOn.frameNumber(), target, outcome.objectId(), outcome.detail(), shown, FOLLOWED));
                        kept += shown >= KEPT ? 1 : 0;
                        pipeline.mode(Mode.AUTOMATIC);
                        sightings.clear();
                        target = null;
                        answer = null;
                    }
                }
            }
        }
        System.out.println("box prompts on vtest.avi:\n  " + String.join("\n  ", trials));
        assertThat(trials).hasSizeGreaterThanOrEqualTo(10);
        assertThat(kept).as("prompted objects published on %d of %d frames: %s", KEPT, FOLLOWED, trials)
                .isGreaterThanOrEqualTo((int) Math.ceil(0.9 * trials.size()));
    }

    /** A pedestrian not about to leave the picture (the dashboard test skips those too). */
    private static boolean awayFromTheEdges(int[] b, ProcessedFrame f) {
        return b[0] >= EDGE && b[1] >= EDGE && b[0] + b[2] <= f.width() - EDGE && b[1] + b[3] <= f.height() - EDGE;
    }
}
