package io.visionfleet.slam.tracking;

import io.visionfleet.common.synth.camera.SyntheticSequence;
import io.visionfleet.slam.eval.TrajectoryError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accuracy of the tracker on the synthetic sequences (320x240, 450 frames, 4.3 m path), decoded from H.264 as
 * a relay client would see them. Thresholds sit slightly under the measured values reported in docs/slam.md.
 */
class SyntheticAccuracyTest {
    private static final int W = 320;
    private static final int H = 240;

    @Test
    void cleanSequence() throws Exception {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        SequenceRun run;
        try (MonocularTracker tracker = new MonocularTracker(SequenceRun.cameraOf(seq), TrackerSettings.defaults(), ImuPrior.NONE)) {
            run = SequenceRun.of(seq, tracker);
        }
        double length = seq.path().length();
        System.out.println("clean: " + run.summary(length) + "\n" + run.timing());
        TrajectoryError.Ate ate = run.ate();
        assertThat(ate.rmse() / length).isLessThan(0.01);
    }

    @Test
    void noisySequence() throws Exception {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, true);
        SequenceRun run;
        try (MonocularTracker tracker = new MonocularTracker(SequenceRun.cameraOf(seq), TrackerSettings.defaults(), ImuPrior.NONE)) {
            run = SequenceRun.of(seq, tracker);
        }
        double length = seq.path().length();
        System.out.println("noisy: " + run.summary(length) + "\n" + run.timing());
        assertThat(run.ate().rmse() / length).isLessThan(0.02);
    }
}
