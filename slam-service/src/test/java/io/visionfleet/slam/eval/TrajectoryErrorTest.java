package io.visionfleet.slam.eval;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ATE and RPE against the reference values of the test resource tum/README.md and against known transforms. */
@Tag("quick")
class TrajectoryErrorTest {

    @Test
    void fr1XyzOrbKeyframesMatchTheReferenceValues() {
        List<Association.Pair> pairs = pairs("freiburg1_xyz-ORB_kf_mono.txt", "freiburg1_xyz-groundtruth.txt");
        assertThat(pairs).hasSize(32);
        TrajectoryError.Ate sim3 = TrajectoryError.ate(pairs, true);
        TrajectoryError.Ate se3 = TrajectoryError.ate(pairs, false);
        assertThat(sim3.scale()).isCloseTo(1.1056, within(5e-5));
        assertThat(sim3.rmse()).isCloseTo(0.0098, within(5e-5));
        assertThat(se3.scale()).isEqualTo(1.0);
        assertThat(se3.rmse()).isCloseTo(0.0243, within(5e-5));
    }

    @Test
    void fr2DeskOrbKeyframesMatchTheReferenceValues() {
        List<Association.Pair> pairs = pairs("fr2_desk_ORB_kf_mono.txt", "fr2_desk_groundtruth.txt");
        assertThat(pairs).hasSize(118);
        TrajectoryError.Ate sim3 = TrajectoryError.ate(pairs, true);
        TrajectoryError.Ate se3 = TrajectoryError.ate(pairs, false);
        assertThat(sim3.scale()).isCloseTo(2.2280, within(5e-5));
        assertThat(sim3.rmse()).isCloseTo(0.0077, within(5e-5));
        assertThat(se3.rmse()).isCloseTo(0.9390, within(5e-5));
    }

    @Test
    void aSimilarityTransformedTrajectoryHasNoErrorAndItsScaleIsRecovered() {
        Random random = new Random(7);
        List<StampedPose> truth = new ArrayList<>();
        List<StampedPose> estimate = new ArrayList<>();
        Pose offset = Pose.fromRotationVector(new double[]{0.3, -1.2, 0.5}, new double[]{4, -2, 1});
        double s = 0.37;
        for (int i = 0; i < 50; i++) {
            Pose gt = Pose.fromRotationVector(new double[]{random.nextGaussian(), random.nextGaussian(), random.nextGaussian()},
                    new double[]{random.nextGaussian(), random.nextGaussian(), random.nextGaussian()});
            // the estimate lives in another frame (offset) at another scale (s): est = offset^-1(s * gt)
            Pose est = new Pose(Mat3.mul(offset.inverse().r(), gt.r()), offset.inverse().apply(Mat3.times(gt.t(), s)));
            truth.add(new StampedPose(i * 0.1, gt));
            estimate.add(new StampedPose(i * 0.1 + 0.004, est));
        }
        List<Association.Pair> pairs = Association.associate(estimate, truth, Association.DEFAULT_MAX_DIFFERENCE);
        assertThat(pairs).hasSize(50);
        TrajectoryError.Ate ate = TrajectoryError.ate(pairs, true);
        assertThat(ate.scale()).isCloseTo(1 / s, within(1e-9));
        assertThat(ate.rmse()).isLessThan(1e-9);
        assertThat(ate.rotationRmseDeg()).isLessThan(1e-6);
        TrajectoryError.Rpe rpe = TrajectoryError.rpe(pairs, 1, ate.scale());
        assertThat(rpe.count()).isEqualTo(49);
        assertThat(rpe.translationRmse()).isLessThan(1e-9);
        assertThat(rpe.rotationRmseDeg()).isLessThan(1e-6);
    }

    @Test
    void rpeMeasuresAConstantDriftPerStep() {
        List<StampedPose> truth = new ArrayList<>();
        List<StampedPose> estimate = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            truth.add(new StampedPose(i, new Pose(Mat3.identity(), new double[]{i, 0, 0})));
            estimate.add(new StampedPose(i, new Pose(Mat3.identity(), new double[]{i * 1.1, 0, 0})));
        }
        TrajectoryError.Rpe rpe = TrajectoryError.rpe(Association.associate(estimate, truth, 0.01), 2, 1);
        assertThat(rpe.count()).isEqualTo(18);
        assertThat(rpe.translationRmse()).isCloseTo(0.2, within(1e-12));
        assertThat(rpe.rotationRmseDeg()).isZero();
    }

    @Test
    void associationUsesEachTruthPoseOnceAndOnlyWithinTheWindow() {
        List<StampedPose> truth = List.of(stamp(1.000), stamp(1.020), stamp(2.000));
        List<StampedPose> estimate = List.of(stamp(1.004), stamp(1.006), stamp(1.5), stamp(2.0099));
        List<Association.Pair> pairs = Association.associate(estimate, truth, 0.01);
        assertThat(pairs).extracting(p -> p.estimate().timestamp()).containsExactly(1.004, 2.0099);
        assertThat(pairs).extracting(p -> p.truth().timestamp()).containsExactly(1.000, 2.000);
    }

    @Test
    void tumLinesRoundTrip() {
        Pose pose = Pose.fromRotationVector(new double[]{0.1, 0.2, -0.3}, new double[]{1.5, -2.25, 3});
        StampedPose p = new StampedPose(1305031098.6659, pose);
        StampedPose back = TumTrajectory.parse("# comment\n\n" + TumTrajectory.line(p) + "\n").get(0);
        assertThat(back.timestamp()).isCloseTo(p.timestamp(), within(1e-6));
        assertThat(back.pose().t()).containsExactly(pose.t(), within(1e-7));
        assertThat(back.pose().r()).containsExactly(pose.r(), within(1e-6));
    }

    @Test
    void aMalformedLineIsNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TumTrajectory.parse("1 2 3\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }

    private static StampedPose stamp(double t) {
        return new StampedPose(t, Pose.IDENTITY);
    }

    private static List<Association.Pair> pairs(String estimate, String truth) {
        return Association.associate(TumData.trajectory(estimate), TumData.trajectory(truth),
                Association.DEFAULT_MAX_DIFFERENCE);
    }
}
