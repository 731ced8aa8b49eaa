package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.output.PublishedObject;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.prompt.Seeder;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.support.TestConfig;
import io.visionfleet.sim.scene.SyntheticScene;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * drone-sim's synthetic clip at 1280x720: its three objects start overlapping, so the motion engine first sees one
 * region and starts one track on the group. As they draw apart, each must become an object of its own: once they
 * have been clearly apart (a gap larger than their size) for a second, every one of them is published, each by a
 * box of its own.
 */
@Tag("integration") // a quality run over whole synthetic clips: too slow for the inner loop
class GroupThatDrawsApartTest {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FPS = 30;
    private static final int CLIP = 10 * FPS;
    private static final int OBJECTS = 3;
    /** Frames the objects must have been apart before each has to be published on its own. */
    private static final int SETTLE = FPS;
    private static final double MIN_IOU = 0.3;

    @Test
    void objectsThatStartedAsOneRegionArePublishedApartOnceTheyAreApart(@TempDir Path dir) throws Exception {
        Path clip = SyntheticVideo.mp4(dir.resolve("drone.mp4"), WIDTH, HEIGHT, FPS, 30, CLIP);
        SyntheticScene scene = new SyntheticScene(WIDTH, HEIGHT, OBJECTS);
        TrackBook book = new TrackBook();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int apartFor = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
             EngineSession session = new MotionEngine(TestConfig.defaults()).open("drone", WIDTH, HEIGHT);
             Seeder seeder = new MotionStrategy().open(WIDTH, HEIGHT)) {
            grabber.start();
            int index = 0;
            for (Frame frame; (frame = grabber.grabImage()) != null; index++) {
                List<PublishedObject> published;
                try (PointerScope scope = new PointerScope()) {
                    published = book.update(session.step(new EngineInput(index, 1, converter.convert(frame), List.of(),
                            List.of(), seeder, 32, new StageTimings())), List.of(), Mode.AUTOMATIC).published();
                }
                List<Box> truth = truth(scene, index);
                apartFor = apart(truth) ? apartFor + 1 : 0;
                if (apartFor > SETTLE) {
                    checked++;
                    if (!eachHasABoxOfItsOwn(truth, published)) {
                        failures.add("frame " + index + ": truth " + truth + ", published "
                                + published.stream().map(PublishedObject::box).toList());
                    }
                }
            }
        }
        assertThat(checked).as("frames in which the objects had been apart for a second").isGreaterThan(SETTLE);
        assertThat(failures).as("frames in which the objects were not published one by one").isEmpty();
    }

    private static List<Box> truth(SyntheticScene scene, long frame) {
        List<Box> boxes = new ArrayList<>();
        for (int k = 0; k < OBJECTS; k++) {
            SyntheticScene.Box b = scene.box(k, frame);
            boxes.add(new Box(b.x(), b.y(), b.width(), b.height()));
        }
        return boxes;
    }

    /** Every two objects are separated by a gap larger than either of them. */
    private static boolean apart(List<Box> boxes) {
        for (int a = 0; a < boxes.size(); a++) {
            for (int b = a + 1; b < boxes.size(); b++) {
                Box p = boxes.get(a);
                Box q = boxes.get(b);
                double gap = Math.max(Math.max(q.x() - p.right(), p.x() - q.right()),
                        Math.max(q.y() - p.bottom(), p.y() - q.bottom()));
                double size = Math.max(Math.max(p.width(), p.height()), Math.max(q.width(), q.height()));
                if (gap <= size) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Each truth box overlaps a published box of its own: no published box stands for two objects. */
    private static boolean eachHasABoxOfItsOwn(List<Box> truth, List<PublishedObject> published) {
        List<Box> free = published.stream().map(PublishedObject::box).collect(Collectors.toCollection(ArrayList::new));
        for (Box t : truth) {
            Box best = free.stream().filter(p -> p.iou(t) >= MIN_IOU)
                    .max((p, q) -> Double.compare(p.iou(t), q.iou(t))).orElse(null);
            if (best == null) {
                return false;
            }
            free.remove(best);
        }
        return true;
    }
}
