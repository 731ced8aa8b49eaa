package io.visionfleet.slam.geometry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Tag("quick")
class GeometryTest {

    @Test
    void svdReconstructsRandomAndRankDeficientMatrices() {
        Random random = new Random(3);
        for (int k = 0; k < 200; k++) {
            double[] m = new double[9];
            for (int i = 0; i < 9; i++) {
                m[i] = random.nextGaussian();
            }
            if (k % 3 == 1) { // rank 2: third row a combination of the others
                for (int c = 0; c < 3; c++) {
                    m[6 + c] = 0.5 * m[c] - 2 * m[3 + c];
                }
            }
            if (k % 3 == 2) { // rank 1
                for (int c = 0; c < 3; c++) {
                    m[3 + c] = 2 * m[c];
                    m[6 + c] = -m[c];
                }
            }
            Svd3 svd = Svd3.of(m);
            double[] sigma = {svd.s()[0], 0, 0, 0, svd.s()[1], 0, 0, 0, svd.s()[2]};
            assertThat(Mat3.mul(Mat3.mul(svd.u(), sigma), Mat3.transpose(svd.v()))).containsExactly(m, within(1e-10));
            assertThat(Mat3.mul(svd.u(), Mat3.transpose(svd.u()))).containsExactly(Mat3.identity(), within(1e-10));
            assertThat(Mat3.mul(svd.v(), Mat3.transpose(svd.v()))).containsExactly(Mat3.identity(), within(1e-10));
            assertThat(svd.s()[0]).isGreaterThanOrEqualTo(svd.s()[1]);
            assertThat(svd.s()[1]).isGreaterThanOrEqualTo(svd.s()[2]);
        }
    }

    @Test
    void quaternionAndRotationVectorRoundTrip() {
        Random random = new Random(5);
        for (int k = 0; k < 200; k++) {
            double[] w = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double angle = Mat3.norm(w);
            if (angle > Math.PI) {
                w = Mat3.times(w, (Math.PI - 1e-3) / angle);
            }
            Pose p = Pose.fromRotationVector(w, new double[]{1, 2, 3});
            double[] q = p.quaternion();
            Pose back = Pose.fromQuaternion(1, 2, 3, q[0], q[1], q[2], q[3]);
            assertThat(back.r()).containsExactly(p.r(), within(1e-10));
            assertThat(p.rotationVector()).containsExactly(w, within(1e-8));
        }
        double[] half = Mat3.exp(new double[]{0, Math.PI, 0});
        assertThat(Mat3.exp(Mat3.log(half))).containsExactly(half, within(1e-9));
    }

    @Test
    void composeAndInverse() {
        Pose a = Pose.fromRotationVector(new double[]{0.1, -0.4, 0.9}, new double[]{1, 0, -2});
        Pose b = Pose.fromRotationVector(new double[]{-0.7, 0.2, 0.3}, new double[]{0, 5, 1});
        double[] x = {0.3, -0.2, 4};
        assertThat(a.compose(b).apply(x)).containsExactly(a.apply(b.apply(x)), within(1e-12));
        assertThat(a.compose(a.inverse()).t()).containsExactly(new double[3], within(1e-12));
        assertThat(a.toRowMajor4x4()).containsExactly(a.r()[0], a.r()[1], a.r()[2], a.t()[0], a.r()[3], a.r()[4],
                a.r()[5], a.t()[1], a.r()[6], a.r()[7], a.r()[8], a.t()[2], 0, 0, 0, 1);
    }
}
