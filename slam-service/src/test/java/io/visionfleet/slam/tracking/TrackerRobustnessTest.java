package io.visionfleet.slam.tracking;

import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.eval.TrajectoryError;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracking states on pictures a monocular tracker cannot use, losing tracking, relocalisation and new segments. */
@Tag("integration") // a quality run over whole synthetic clips: too slow for the inner loop
class TrackerRobustnessTest {
    private static final SyntheticSequence SEQ = SyntheticSequence.standard(320, 240, false);

    @Test
    void blankVideoSaysNoFeaturesOnEveryFrame() throws Exception {
        SequenceRun run = run(SequenceRun.cameraOf(SEQ), k -> -1, 60);
        assertThat(states(run)).containsOnly(TrackingState.NO_FEATURES);
        assertThat(run.estimate).isEmpty();
    }

    @Test
    void staticVideoStaysInitialisingWithoutAPose() throws Exception {
        SequenceRun run = run(SequenceRun.cameraOf(SEQ), k -> 100, 90);
        assertThat(states(run)).containsOnly(TrackingState.INITIALIZING);
        assertThat(run.results).allSatisfy(r -> assertThat(r.inliers()).isGreaterThan(200));
        assertThat(run.estimate).isEmpty();
    }

    /**
     * A still camera's features are followed on every third frame only; once the camera moves it initialises within
     * that stride of a camera that moved from the start (both take their reference on the same picture).
     */
    @Test
    void aCameraThatStoodStillInitialisesOnceItMoves() throws Exception {
        int stillFrames = 30;
        SequenceRun moving = run(SequenceRun.cameraOf(SEQ), k -> 100 + k, 90);
        SequenceRun waited = run(SequenceRun.cameraOf(SEQ), k -> 100 + Math.max(0, k - stillFrames), 90 + stillFrames);
        int first = firstPose(moving);
        System.out.printf("first pose: moving from the start %d, after %d still frames %d%n", first, stillFrames,
                firstPose(waited));
        assertThat(first).as("the moving camera initialises").isBetween(2, 60);
        assertThat(firstPose(waited) - stillFrames).isBetween(first, first + 2);
    }

    @Test
    void intrinsicsThatCannotFitThePictureSayBadIntrinsics() throws Exception {
        CameraModel outside = CameraModel.pinhole(250, 250, 900, 120); // principal point right of a 320 px picture
        SequenceRun run = run(outside, k -> k, 30);
        assertThat(states(run)).containsOnly(TrackingState.BAD_INTRINSICS);
        try (MonocularTracker tracker = new MonocularTracker(outside, TrackerSettings.defaults(), ImuPrior.NONE)) {
            SequenceRun.of(SEQ, tracker, k -> k, 1);
            assertThat(tracker.intrinsicsProblem()).contains("principal point").contains("320x240");
        }
    }

    @Test
    void wrongFocalLengthStillGivesKnownStatesAndNoExceptions() throws Exception {
        CameraModel real = SequenceRun.cameraOf(SEQ);
        CameraModel wrong = CameraModel.pinhole(real.fx() * 3, real.fy() * 3, real.cx(), real.cy());
        SequenceRun run = run(wrong, k -> k, 150);
        assertThat(run.results).hasSize(150);
        assertThat(states(run)).isSubsetOf(TrackingState.INITIALIZING, TrackingState.TRACKING, TrackingState.LOST,
                TrackingState.RELOCALIZED);
    }

    /** Black frames break tracking; when the camera comes back to a place it mapped, it relocalises in the same segment. */
    @Test
    void relocalisesInTheSameSegmentAfterABlackout() throws Exception {
        // pictures 0..199, 12 black frames, then pictures 170..399: the camera returns to where it was
        SequenceRun run = run(SequenceRun.cameraOf(SEQ), k -> k < 200 ? k : k < 212 ? -1 : k - 42, 442);
        List<TrackingState> states = run.results.stream().map(FrameResult::state).toList();
        assertThat(states.get(200)).isEqualTo(TrackingState.LOST);
        assertThat(states.subList(201, 212)).containsOnly(TrackingState.NO_FEATURES);
        int relocalised = states.indexOf(TrackingState.RELOCALIZED);
        assertThat(relocalised).isBetween(212, 215);
        assertThat(run.results.get(relocalised).segment()).isZero();
        assertThat(run.segments).containsOnly(0);
        TrajectoryError.Ate ate = run.ate();
        System.out.println("relocalisation: " + run.summary(SEQ.path().length()));
        assertThat(ate.rmse() / SEQ.path().length()).isLessThan(0.01);
    }

    /**
     * A camera whose view leaves its map is searched for on every frame at first, then on one frame in four, and found
     * again within four frames of coming back.
     */
    @Test
    void aLongLossIsSearchedForLessOften() throws Exception {
        // pictures 0..199, then 60 frames of one still picture of a place not mapped (no parallax: no new segment
        // either), then pictures 170..: the camera returns to where it was
        SequenceRun run = run(SequenceRun.cameraOf(SEQ), k -> k < 200 ? k : k < 260 ? 420 : k - 90, 300);
        List<FrameResult> away = run.results.subList(201, 260);
        assertThat(away).extracting(FrameResult::state).containsOnly(TrackingState.LOST);
        long searched = away.stream().filter(r -> r.timings().nanos(StageTimes.Stage.RELOCALISATION) > 0).count();
        assertThat(searched).as("10 frames searched, then frames 214, 218, ..., 258").isEqualTo(10 + 12);
        List<TrackingState> states = run.results.stream().map(FrameResult::state).toList();
        int relocalised = states.indexOf(TrackingState.RELOCALIZED);
        assertThat(relocalised).isBetween(260, 263);
        assertThat(run.results.get(relocalised).segment()).isZero();
    }

    /** After a jump to a place never mapped, tracking starts a new map segment. */
    @Test
    void startsANewSegmentWhereNothingWasMapped() throws Exception {
        SequenceRun run = run(SequenceRun.cameraOf(SEQ), k -> k < 120 ? k : k < 125 ? -1 : k + 250, 190);
        assertThat(run.segments.get(0)).isZero();
        assertThat(run.segments.get(run.segments.size() - 1)).isEqualTo(1);
        long tracked = run.results.subList(125, 190).stream().filter(r -> r.state().hasPose()).count();
        assertThat(tracked).as("tracked after the jump, initialisation included").isGreaterThan(35);
    }

    /** With a small keyframe limit the oldest keyframes are forgotten and tracking goes on. */
    @Test
    void keyframesBeyondTheLimitAreForgotten() throws Exception {
        try (MonocularTracker tracker = new MonocularTracker(SequenceRun.cameraOf(SEQ),
                TrackerSettings.defaults().withMaxKeyframes(8), ImuPrior.NONE)) {
            SequenceRun run = SequenceRun.of(SEQ, tracker);
            int keyframes = tracker.segments().stream().mapToInt(s -> s.keyframes().size()).sum();
            assertThat(keyframes).isLessThanOrEqualTo(8);
            assertThat(run.results.stream().filter(FrameResult::keyframe).count()).isGreaterThan(12);
            assertThat(run.untracked()).isLessThan(20);
        }
    }

    private static SequenceRun run(CameraModel camera, java.util.function.IntUnaryOperator order, int count) throws Exception {
        try (MonocularTracker tracker = new MonocularTracker(camera, TrackerSettings.defaults(), ImuPrior.NONE)) {
            return SequenceRun.of(SEQ, tracker, order, count);
        }
    }

    private static int firstPose(SequenceRun run) {
        for (int i = 0; i < run.results.size(); i++) {
            if (run.results.get(i).state().hasPose()) {
                return i;
            }
        }
        return -1;
    }

    private static Set<TrackingState> states(SequenceRun run) {
        return run.results.stream().map(FrameResult::state).collect(Collectors.toSet());
    }
}
