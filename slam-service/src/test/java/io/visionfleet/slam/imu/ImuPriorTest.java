package io.visionfleet.slam.imu;

import io.visionfleet.sim.camera.CameraPath;
import io.visionfleet.sim.camera.ImuSample;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.tracking.ImuPrior;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The IMU buffer's answers against the synthetic path's ground truth. */
@Tag("quick")
class ImuPriorTest {
    static final double RATE_HZ = 200;

    /** A buffer filled with ideal samples of {@code path} (IMU axes = camera axes) over {@code seconds}. */
    static ImuBuffer buffer(CameraPath path, double seconds) {
        ImuBuffer buffer = new ImuBuffer(Mat3.identity());
        for (int i = 0; i <= seconds * RATE_HZ; i++) {
            ImuSample s = path.imu(i / RATE_HZ);
            buffer.add(new ImuReading(s.timestamp(), s.gyro(), s.accel()));
        }
        return buffer;
    }

    @Test
    void gyroIntegrationGivesTheRelativeRotationBetweenFrames() {
        SyntheticSequence seq = SyntheticSequence.standard(320, 240, false);
        ImuBuffer buffer = buffer(seq.path(), 5);
        for (int i = 10; i < 140; i += 13) {
            double[] expected = Mat3.mul(Mat3.transpose(seq.pose(i + 2).r()), seq.pose(i).r());
            double[] measured = buffer.rotation(seq.timestamp(i), seq.timestamp(i + 2)).orElseThrow();
            assertThat(Math.toDegrees(Mat3.angle(Mat3.mul(Mat3.transpose(expected), measured)))).isLessThan(0.01);
        }
    }

    @Test
    void upIsOppositeToGravityInCameraAxes() {
        SyntheticSequence seq = SyntheticSequence.standard(320, 240, false);
        ImuBuffer buffer = buffer(seq.path(), 5);
        double[] trueUp = Mat3.apply(Mat3.transpose(seq.pose(60).r()), new double[]{0, 0, 1});
        double[] up = buffer.up(seq.timestamp(60)).orElseThrow();
        assertThat(Math.toDegrees(Math.acos(Mat3.dot(up, trueUp)))).isLessThan(1.0);
    }

    @Test
    void intervalsNotCoveredBySamplesHaveNoAnswer() {
        SyntheticSequence seq = SyntheticSequence.standard(320, 240, false);
        ImuPrior prior = buffer(seq.path(), 2);
        assertThat(prior.rotation(1.9, 2.5)).isEmpty();
        assertThat(prior.rotation(-1, 0.5)).isEmpty();
        assertThat(prior.up(10)).isEmpty();
        assertThat(prior.rotation(0.5, 0.6)).isPresent();
    }

    @Test
    void samplesOutOfOrderAreDroppedAndTheBufferIsBounded() {
        ImuBuffer buffer = new ImuBuffer(Mat3.identity());
        for (int i = 0; i < ImuBuffer.CAPACITY + 100; i++) {
            buffer.add(new ImuReading(i * 0.005, new double[3], new double[]{0, 0, 9.8}));
        }
        buffer.add(new ImuReading(0, new double[3], new double[]{0, 0, 9.8}));
        assertThat(buffer.size()).isEqualTo(ImuBuffer.CAPACITY);
        Optional<double[]> up = buffer.up((ImuBuffer.CAPACITY + 50) * 0.005);
        assertThat(up.orElseThrow()).containsExactly(new double[]{0, 0, 1}, within(1e-12));
    }
}
