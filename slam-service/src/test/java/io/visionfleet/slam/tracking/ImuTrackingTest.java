package io.visionfleet.slam.tracking;

import io.visionfleet.sim.camera.ImuSample;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.eval.TrajectoryError;
import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.imu.ImuBuffer;
import io.visionfleet.slam.imu.ImuReading;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With IMU samples the map's z axis points up (gravity-aligned); without them it is the first camera's frame. */
@Tag("integration")
class ImuTrackingTest {
    private static final SyntheticSequence SEQ = SyntheticSequence.standard(320, 240, false);
    private static final int FRAMES = 200;

    @Test
    void mapIsGravityAlignedWithImuAndTracksAsWell() throws Exception {
        ImuBuffer imu = new ImuBuffer(Mat3.identity()); // the synthetic IMU is mounted with the camera's axes
        for (int i = 0; i <= FRAMES / (double) SEQ.fps() * 200; i++) {
            ImuSample s = SEQ.path().imu(i / 200.0);
            imu.add(new ImuReading(s.timestamp(), s.gyro(), s.accel()));
        }
        TrajectoryError.Ate with = run(imu);
        TrajectoryError.Ate without = run(ImuPrior.NONE);
        System.out.printf("with IMU: ATE %.4f m, up error %.2f deg; without: ATE %.4f m, up error %.2f deg%n",
                with.rmse(), upErrorDeg(with), without.rmse(), upErrorDeg(without));
        assertThat(upErrorDeg(with)).isLessThan(1.0);
        assertThat(upErrorDeg(without)).isGreaterThan(30);
        assertThat(with.rmse()).isLessThan(without.rmse() * 1.5);
    }

    /** Angle between the map's up (z) and true up, as the Sim(3) alignment maps it into the ground-truth frame. */
    private static double upErrorDeg(TrajectoryError.Ate ate) {
        double[] up = Mat3.apply(ate.alignment().rotation(), new double[]{0, 0, 1});
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, up[2]))));
    }

    private static TrajectoryError.Ate run(ImuPrior imu) throws Exception {
        try (MonocularTracker tracker = new MonocularTracker(SequenceRun.cameraOf(SEQ), TrackerSettings.defaults(), imu)) {
            SequenceRun run = SequenceRun.of(SEQ, tracker, k -> k, FRAMES);
            assertThat(run.untracked()).isLessThan(20);
            return run.ate();
        }
    }
}
