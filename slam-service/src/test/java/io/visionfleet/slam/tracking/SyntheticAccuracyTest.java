package io.visionfleet.slam.tracking;

import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.eval.TrajectoryError;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accuracy of the tracker on the synthetic sequences (320x240, 450 frames, 4.65 m path), decoded from H.264 as
 * a relay client would see them. The targets are ATE at most 1 % (2 % with noise) of the path after Sim(3)
 * alignment, rotation error at most 1 degree, at least 95 % of frames tracked and initialisation within 30 frames;
 * the thresholds below sit a little above the values measured (docs/slam.md), so a regression shows.
 */
@Tag("integration") // a quality run over whole synthetic clips: too slow for the inner loop
class SyntheticAccuracyTest {
    private static final int W = 320;
    private static final int H = 240;

    @Test
    void cleanSequence() throws Exception {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        SequenceRun run = track(seq);
        TrajectoryError.Ate ate = run.ate();
        double length = seq.path().length();
        assertThat(ate.rmse() / length).as("ATE / path length").isLessThan(0.0035);
        assertThat(ate.rotationRmseDeg()).as("rotation error after Sim(3) alignment, degrees").isLessThan(0.9);
        assertThat(ate.orientationRmseDeg()).as("orientation error, degrees").isLessThan(0.3);
        assertThat(run.untracked()).as("untracked frames").isLessThanOrEqualTo(20);
        assertThat(run.firstTracked).as("first tracked frame").isLessThanOrEqualTo(20);
        assertThat(run.segments).as("map segments").containsOnly(0);
        assertThat(run.rpe(30, ate.scale()).translationRmse()).as("RPE over 1 s, metres").isLessThan(0.015);
    }

    @Test
    void noisySequence() throws Exception {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, true);
        SequenceRun run = track(seq);
        TrajectoryError.Ate ate = run.ate();
        double length = seq.path().length();
        assertThat(ate.rmse() / length).as("ATE / path length").isLessThan(0.003);
        assertThat(ate.rotationRmseDeg()).as("rotation error after Sim(3) alignment, degrees").isLessThan(0.8);
        assertThat(ate.orientationRmseDeg()).as("orientation error, degrees").isLessThan(0.35);
        assertThat(run.untracked()).as("untracked frames").isLessThanOrEqualTo(20);
        assertThat(run.firstTracked).as("first tracked frame").isLessThanOrEqualTo(20);
    }

    private static SequenceRun track(SyntheticSequence seq) throws Exception {
        try (MonocularTracker tracker = new MonocularTracker(SequenceRun.cameraOf(seq), TrackerSettings.defaults(), ImuPrior.NONE)) {
            SequenceRun run = SequenceRun.of(seq, tracker);
            TrajectoryError.Ate ate = run.ate();
            System.out.printf("%s: %s, RPE(1 s)=%.4f m%n%s%n", seq.degradation(), run.summary(seq.path().length()),
                    run.rpe(30, ate.scale()).translationRmse(), run.timing());
            return run;
        }
    }
}
