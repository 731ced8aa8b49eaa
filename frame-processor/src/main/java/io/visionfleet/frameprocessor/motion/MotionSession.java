package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.engine.ObjectStatus;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.geom.Masks;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Seed;
import io.visionfleet.frameprocessor.prompt.SeedContext;
import io.visionfleet.frameprocessor.support.Natives;
import io.visionfleet.frameprocessor.track.MultiObjectTracker;
import io.visionfleet.frameprocessor.track.Observation;
import io.visionfleet.frameprocessor.track.Track;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

/**
 * The motion engine on one stream: camera-motion compensation, background subtraction, regions, tracking, prompts
 * and automatic seeding, in that order on every frame. The first three run on the {@link AnalysisScale} copy of the
 * frame; tracking and everything after it in full-frame pixels.
 */
final class MotionSession implements EngineSession {
    /** A frame with more foreground than this share is a jump of the camera or the light: the model starts over. */
    private static final double SCENE_CHANGE = 0.5;
    /** Frames a new background model learns before its foreground counts (MOG2 and KNN call the first frames foreground). */
    private static final int WARM_UP_FRAMES = 10;

    private final int width;
    private final int height;
    private final double highScore;
    private final AnalysisScale scale;
    private final BackgroundModel background;
    private final CameraMotion camera;
    private final ForegroundRegions regions;
    private final MultiObjectTracker tracker;
    private final Mat foreground = Natives.keep(new Mat());
    private int framesSinceReset;

    MotionSession(ProcessorConfig config, int width, int height, BackgroundModel background) {
        ProcessorConfig.Motion motion = config.motion();
        this.width = width;
        this.height = height;
        this.highScore = config.tracker().highScore();
        this.scale = new AnalysisScale(width, height, motion.analysisWidth());
        this.background = background;
        this.camera = motion.compensation() ? new CameraMotion(scale.width(), scale.height()) : null;
        this.regions = new ForegroundRegions(scale.width(), scale.height(), motion.minArea(), motion.openKernel(),
                motion.closeKernel());
        this.tracker = new MultiObjectTracker(config.tracker(), width, height);
    }

    @Override
    public EngineResult step(EngineInput in) {
        StageTimings timings = in.timings();
        Mat bgr = in.bgr();
        Mat analysed = timings.time("motion.scale", () -> scale.shrink(bgr));
        if (camera != null) {
            timings.time("motion.camera", () -> compensate(analysed));
        }
        List<Observation> found = foreground(analysed, timings);
        List<Observation> left = timings.time("motion.tracking", () -> {
            tracker.predict(in.elapsed());
            return tracker.associate(MergedRegionSplitter.split(found, tracker, bgr, scale.toFullArea(regions.minArea())));
        });
        List<CommandOutcome> outcomes = new ArrayList<>();
        for (ObjectCommand command : in.commands()) {
            outcomes.add(apply(command, left, in.maxObjects()));
        }
        if (in.seeder() != null) {
            timings.time("motion.seeding", () -> seed(in, left));
        }
        List<Long> removed = tracker.endFrame();
        return new EngineResult(objects(), removed, outcomes);
    }

    @Override
    public void close() {
        background.close();
        scale.close();
        if (camera != null) {
            camera.close();
        }
        regions.close();
        Natives.release(foreground);
    }

    private void compensate(Mat analysed) {
        CameraMotion.Estimate estimate = camera.estimate(analysed);
        switch (estimate.kind()) {
            case MOVED -> {
                background.warp(estimate.homography());
                tracker.compensate(CameraMotion.toArray(scale.toFull(estimate.homography())));
            }
            case LOST -> resetBackground();
            case STILL -> { }
        }
    }

    /** Regions of moving pixels in {@code analysed}, in full-frame pixels. */
    private List<Observation> foreground(Mat analysed, StageTimings timings) {
        timings.time("motion.background", () -> background.apply(analysed, foreground));
        framesSinceReset++;
        if (framesSinceReset > WARM_UP_FRAMES && countNonZero(foreground) > SCENE_CHANGE * foreground.total()) {
            resetBackground();
        }
        if (framesSinceReset <= WARM_UP_FRAMES) {
            return List.of();
        }
        return timings.time("motion.regions",
                () -> regions.find(foreground, analysed).stream().map(scale::toFull).toList());
    }

    private void resetBackground() {
        background.reset();
        framesSinceReset = 0;
    }

    private CommandOutcome apply(ObjectCommand command, List<Observation> left, int maxObjects) {
        if (command instanceof ObjectCommand.Remove remove) {
            return tracker.find(remove.objectId())
                    .filter(t -> !t.suppressed())
                    .map(t -> {
                        tracker.suppress(t);
                        return CommandOutcome.removed(t.id());
                    })
                    .orElseGet(() -> CommandOutcome.rejected("no object " + remove.objectId() + " on this stream"));
        }
        ObjectCommand.Apply apply = (ObjectCommand.Apply) command;
        return PromptSelection.apply(apply.prompt(), tracker, left, maxObjects);
    }

    private void seed(EngineInput in, List<Observation> left) {
        List<Observation> candidates = new ArrayList<>(left.stream().filter(o -> o.score() >= highScore).toList());
        if (candidates.isEmpty() || tracker.size() >= in.maxObjects()) {
            return; // the motion engine starts objects on moving regions only
        }
        List<Box> motion = candidates.stream().map(Observation::box).toList();
        List<Seed> seeds = in.seeder().seeds(new SeedContext(in.frameIndex(), in.bgr(), in.detections(), coverage(), motion));
        for (Seed seed : seeds) {
            if (tracker.size() >= in.maxObjects() || candidates.isEmpty()) {
                return;
            }
            List<Observation> hit = candidates.stream().filter(o -> PromptSelection.hits(seed, o)).toList();
            if (!hit.isEmpty()) {
                candidates.removeAll(hit);
                left.removeAll(hit);
                Mask mask = Masks.union(hit.stream().map(Observation::mask).toList());
                tracker.start(new Observation(mask.box(), mask, hit.stream().mapToDouble(Observation::score).max().orElse(1),
                        hit.get(0).colour()), seed.label());
            }
        }
    }

    /** Where tracked objects are in this frame, for strategies that seed only elsewhere. */
    private Mat coverage() {
        Mat coverage = new Mat(height, width, CV_8UC1, new Scalar(0));
        for (Track t : tracker.tracks()) {
            Observation o = t.observation();
            if (o != null) {
                Mask m = o.mask();
                m.pixels().copyTo(new Mat(coverage, new Rect(m.x(), m.y(), m.width(), m.height())), m.pixels());
            }
        }
        return coverage;
    }

    private List<EngineObject> objects() {
        List<EngineObject> objects = new ArrayList<>();
        for (Track t : tracker.tracks()) {
            if (t.suppressed()) {
                continue;
            }
            Observation o = t.observation();
            ObjectStatus status = switch (t.state()) {
                case TENTATIVE -> ObjectStatus.TENTATIVE;
                case CONFIRMED -> o != null ? ObjectStatus.CONFIRMED : ObjectStatus.LOST;
                case LOST, REMOVED -> ObjectStatus.LOST;
            };
            Box box = o != null ? o.box() : t.box();
            objects.add(new EngineObject(t.id(), status, box, o != null ? o.mask() : null, t.score(), t.label(),
                    t.prompted()));
        }
        return objects;
    }
}
