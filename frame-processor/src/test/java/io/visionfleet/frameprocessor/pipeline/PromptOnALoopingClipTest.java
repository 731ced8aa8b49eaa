package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.output.PublishedObject;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.Seeder;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.support.TestConfig;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's prompt test on drone-sim's default stream, without the network: the motion engine follows the
 * synthetic clip (640x360, 15 fps, 150 frames played in a loop), a moving object is taken from automatic mode's
 * results, the stream switches to interactive mode and a box drawn around the object with the dashboard test's
 * margin selects it. The object must then be published on every frame for two seconds, or until the clip loops:
 * where it joins, every object jumps, and a tracker that kept a jumped object would be following nothing.
 */
@Tag("integration")
class PromptOnALoopingClipTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int CLIP = 150;
    private static final int FOLLOWED = 30;
    /**
     * Scene frames the prompts are made on: across the clip and in the last two seconds before it loops. At 46, after
     * the prompts at 20 and 34, the box holds the regions of two objects and makes a new object of them: their
     * old tracks took their regions back within a few frames until the new object replaced them.
     */
    private static final int[] PROMPTED_AT = {20, 34, 46, 52, 60, 100, 119, 125, 131, 136, 140, 144, 147};

    @Test
    void aBoxPromptedObjectIsPublishedOnEveryFrameUntilTheClipJumps(@TempDir Path dir) throws Exception {
        List<Mat> clip = decode(SyntheticVideo.mp4(dir.resolve("drone.mp4"), WIDTH, HEIGHT, 15, 30, CLIP));
        TrackBook book = new TrackBook();
        Set<Long> prompted = new HashSet<>();
        Map<Long, Integer> sightings = new HashMap<>();
        List<String> trials = new ArrayList<>();
        int lostWhereTheClipJoins = 0;
        try (EngineSession session = new MotionEngine(TestConfig.defaults()).open("drone", WIDTH, HEIGHT);
             Seeder seeder = new MotionStrategy().open(WIDTH, HEIGHT)) {
            Mode mode = Mode.AUTOMATIC;
            int trial = 0;
            ObjectCommand prompt = null;
            long promptFrame = -1;
            long id = -1;
            String made = null;
            int published = 0;
            for (long g = 0; trial < PROMPTED_AT.length; g++) {
                int sceneFrame = (int) (g % CLIP);
                List<ObjectCommand> commands = prompt != null ? List.of(prompt) : List.of();
                TrackBook.Update update;
                EngineResult result;
                try (PointerScope scope = new PointerScope()) {
                    result = session.step(new EngineInput(g, 1, clip.get(sceneFrame), List.of(), commands,
                            mode == Mode.AUTOMATIC ? seeder : null, 32, new StageTimings()));
                    update = book.update(result, List.of(), mode);
                }
                if (prompt != null) {
                    CommandOutcome outcome = result.outcomes().get(0);
                    assertThat(outcome.applied()).as("prompt at scene frame %d: %s", sceneFrame, outcome).isTrue();
                    id = outcome.objectId();
                    made = outcome.detail();
                    prompted.add(id);
                    prompt = null;
                    promptFrame = g;
                    published = 0;
                }
                if (promptFrame >= 0) {
                    long object = id;
                    if (update.published().stream().anyMatch(p -> p.id() == object)) {
                        published++;
                    }
                    if (g - promptFrame == FOLLOWED) {
                        int first = (int) (promptFrame % CLIP);
                        int beforeTheJump = Math.min(FOLLOWED + 1, CLIP - first);
                        trials.add(String.format("scene frame %d: #%d (%s) published on %d of the %d frames before"
                                + " the clip jumps or 2 s pass", first, id, made, published, beforeTheJump));
                        assertThat(published).as(trials.get(trials.size() - 1)).isGreaterThanOrEqualTo(beforeTheJump);
                        lostWhereTheClipJoins += published < FOLLOWED + 1 ? 1 : 0;
                        promptFrame = -1;
                        mode = Mode.AUTOMATIC;
                        sightings.clear();
                        trial++;
                    }
                    continue;
                }
                for (PublishedObject p : update.published()) {
                    if (!prompted.contains(p.id()) && sightings.merge(p.id(), 1, Integer::sum) >= 3
                            && sceneFrame + 1 == PROMPTED_AT[trial]) {
                        prompt = new ObjectCommand.Apply(new Prompt(null, List.of(), DragBox.around(p.box(), WIDTH, HEIGHT), null));
                        mode = Mode.INTERACTIVE;
                        break;
                    }
                }
            }
        } finally {
            clip.forEach(Mat::close);
        }
        System.out.println("prompts on the looping clip:\n  " + String.join("\n  ", trials));
        // what a test that polls the picture on screen every 100 ms can miss: objects shown for a few frames only
        assertThat(lostWhereTheClipJoins).as("objects lost where the clip joins").isPositive();
    }

    private static List<Mat> decode(Path file) throws Exception {
        List<Mat> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            for (Frame frame; (frame = grabber.grabImage()) != null; ) {
                frames.add(converter.convert(frame).clone());
            }
        }
        assertThat(frames).hasSize(CLIP);
        return frames;
    }
}
