package io.visionfleet.slam.geometry;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The hand-written 3x3 routines ({@link Svd3}, {@link Mat3}) against EJML on random and ill-conditioned inputs. They
 * stay hand-written because they run per landmark and per keyframe with no allocation beyond the result: EJML's
 * general SVD takes about 3 times as long as {@link Svd3} on a 3x3 matrix (docs/slam.md). Tolerances are what the
 * routines promise, relative to the largest singular value or entry: rounding, not approximation.
 */
@Tag("quick")
class AgainstEjmlTest {
    private static final double EPS = Math.ulp(1.0);

    /** Random Gaussian matrices, then matrices with singular values spread over 1 to 12 decades, then rank 2 and 1. */
    private static List<double[]> matrices(long seed) {
        Random random = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            DMatrixRMaj m = new DMatrixRMaj(3, 3);
            RandomMatrices_DDRM.fillGaussian(m, 0, 1, random);
            out.add(m.data);
        }
        for (double spread : new double[]{1e-1, 1e-3, 1e-6, 1e-9, 1e-12}) {
            for (int k = 0; k < 20; k++) {
                double scale = Math.pow(10, 6 * random.nextDouble() - 3);
                out.add(RandomMatrices_DDRM.singular(3, 3, random, scale, scale * Math.sqrt(spread), scale * spread).data);
                out.add(RandomMatrices_DDRM.singular(3, 3, random, scale, scale * spread, 0).data);
                out.add(RandomMatrices_DDRM.singular(3, 3, random, scale, 0, 0).data);
            }
        }
        return out;
    }

    @Test
    void svdMatchesEjml() {
        SingularValueDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        double worstValue = 0;
        double worstVector = 0;
        double worstBack = 0;
        for (double[] m : matrices(21)) {
            Svd3 svd = Svd3.of(m);
            assertThat(ejml.decompose(new DMatrixRMaj(3, 3, true, m))).isTrue();
            DMatrixRMaj u = ejml.getU(null, false);
            DMatrixRMaj w = ejml.getW(null);
            DMatrixRMaj v = ejml.getV(null, false);
            SingularOps_DDRM.descendingOrder(u, false, w, v, false);
            double top = w.get(0, 0);
            for (int i = 0; i < 3; i++) {
                // backward stable: each singular value to a few ulps of the largest
                double error = Math.abs(svd.s()[i] - w.get(i, i)) / top;
                worstValue = Math.max(worstValue, error);
                assertThat(error).isLessThan(16 * EPS);
                // a singular pair is determined to eps * largest / gap to its neighbours (up to sign)
                double gap = Math.min(i > 0 ? w.get(i - 1, i - 1) - w.get(i, i) : top,
                        i < 2 ? w.get(i, i) - w.get(i + 1, i + 1) : top);
                if (gap > 1e-3 * top) {
                    double vectorError = Math.max(columnDistance(svd.u(), u.data, i), columnDistance(svd.v(), v.data, i));
                    worstVector = Math.max(worstVector, vectorError * gap / top);
                    assertThat(vectorError).isLessThan(64 * EPS * top / gap);
                }
            }
            double[] sigma = {svd.s()[0], 0, 0, 0, svd.s()[1], 0, 0, 0, svd.s()[2]};
            double[] back = Mat3.mul(Mat3.mul(svd.u(), sigma), Mat3.transpose(svd.v()));
            for (int i = 0; i < 9; i++) {
                worstBack = Math.max(worstBack, Math.abs(back[i] - m[i]) / top);
            }
            // a singular value under 1e-12 of the largest keeps its value but gets a completing direction (Svd3's
            // completeBasis), which leaves up to twice that in the reconstruction
            assertThat(back).containsExactly(m, within(2e-12 * top));
            assertThat(Mat3.mul(svd.u(), Mat3.transpose(svd.u()))).containsExactly(Mat3.identity(), within(16 * EPS));
            assertThat(Mat3.mul(svd.v(), Mat3.transpose(svd.v()))).containsExactly(Mat3.identity(), within(16 * EPS));
        }
        System.out.printf("Svd3 against EJML: worst singular value %.2g x largest, worst vector %.2g x largest / gap, "
                + "worst reconstruction %.2g x largest%n", worstValue, worstVector, worstBack);
    }

    @Test
    void orthonormalizeGivesEjmlsNearestRotation() {
        Random random = new Random(22);
        SingularValueDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        for (int k = 0; k < 200; k++) {
            // a rotation after many products, off by about 1e-3 per entry; one in four also reflected (det < 0)
            double[] m = Mat3.exp(new double[]{3 * random.nextGaussian(), random.nextGaussian(), random.nextGaussian()});
            for (int i = 0; i < 9; i++) {
                m[i] = (k % 4 == 3 && i < 3 ? -m[i] : m[i]) + 1e-3 * random.nextGaussian();
            }
            assertThat(ejml.decompose(new DMatrixRMaj(3, 3, true, m))).isTrue();
            DMatrixRMaj u = ejml.getU(null, false);
            DMatrixRMaj v = ejml.getV(null, false);
            DMatrixRMaj w = ejml.getW(null);
            SingularOps_DDRM.descendingOrder(u, false, w, v, false);
            DMatrixRMaj r = new DMatrixRMaj(3, 3);
            CommonOps_DDRM.multTransB(u, v, r);
            if (CommonOps_DDRM.det(r) < 0) { // nearest rotation, not reflection: flip the weakest direction
                for (int row = 0; row < 3; row++) {
                    u.set(row, 2, -u.get(row, 2));
                }
                CommonOps_DDRM.multTransB(u, v, r);
            }
            // the polar factor is well conditioned; a reflected input also depends on the weakest direction alone
            double gap = CommonOps_DDRM.det(new DMatrixRMaj(3, 3, true, m)) < 0 ? w.get(1, 1) - w.get(2, 2) : 1;
            assertThat(Mat3.orthonormalize(m)).containsExactly(r.data, within(100 * EPS / gap));
        }
    }

    @Test
    void productsDeterminantAndTraceMatchEjml() {
        Random random = new Random(23);
        List<double[]> ms = matrices(24);
        for (int k = 0; k < ms.size(); k++) {
            double[] a = ms.get(k);
            double[] b = ms.get(random.nextInt(ms.size()));
            double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            DMatrixRMaj ea = new DMatrixRMaj(3, 3, true, a);
            DMatrixRMaj eb = new DMatrixRMaj(3, 3, true, b);
            double scale = CommonOps_DDRM.elementMaxAbs(ea);
            double scaleB = CommonOps_DDRM.elementMaxAbs(eb);

            DMatrixRMaj ab = new DMatrixRMaj(3, 3);
            CommonOps_DDRM.mult(ea, eb, ab);
            assertThat(Mat3.mul(a, b)).containsExactly(ab.data, within(4 * EPS * scale * scaleB));
            assertThat(Mat3.transpose(a)).containsExactly(CommonOps_DDRM.transpose(ea, null).data, within(0.0));
            DMatrixRMaj ax = new DMatrixRMaj(3, 1);
            CommonOps_DDRM.mult(ea, new DMatrixRMaj(3, 1, true, x), ax);
            assertThat(Mat3.apply(a, x)).containsExactly(ax.data, within(4 * EPS * scale * Mat3.norm(x) * 2));
            assertThat(Mat3.trace(a)).isCloseTo(CommonOps_DDRM.trace(ea), within(4 * EPS * scale));
            // cofactor expansion against EJML's LU: both to a few ulps of the entries' scale cubed, however singular
            assertThat(Mat3.det(a)).isCloseTo(CommonOps_DDRM.det(ea), within(32 * EPS * scale * scale * scale));
        }
    }

    @Test
    void expIsTheMatrixExponentialOfTheSkewMatrix() {
        Random random = new Random(25);
        for (int k = 0; k < 200; k++) {
            // angles from 1e-10 (the small-angle series branch) up to pi
            double angle = k < 20 ? Math.pow(10, -10 + k / 2.0) : Math.PI * random.nextDouble();
            double[] axis = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[] w = Mat3.times(axis, angle / Mat3.norm(axis));
            assertThat(Mat3.exp(w)).containsExactly(exponential(new DMatrixRMaj(3, 3, true, Mat3.skew(w))).data,
                    within(8 * EPS));
            if (angle < Math.PI - 1e-3) { // log is exact away from pi, where the axis' sign is free
                assertThat(Mat3.log(Mat3.exp(w))).containsExactly(w, within(1e-9 + 16 * EPS / Math.max(angle, 1e-3)));
            }
        }
    }

    /** exp(K) by its Taylor series in EJML; for |K| at most pi, 40 terms are past double precision. */
    private static DMatrixRMaj exponential(DMatrixRMaj k) {
        DMatrixRMaj sum = CommonOps_DDRM.identity(3);
        DMatrixRMaj term = CommonOps_DDRM.identity(3);
        DMatrixRMaj next = new DMatrixRMaj(3, 3);
        for (int n = 1; n <= 40; n++) {
            CommonOps_DDRM.mult(1.0 / n, term, k, next);
            term.setTo(next);
            CommonOps_DDRM.addEquals(sum, term);
        }
        return sum;
    }

    /** Distance between column {@code column} of {@code a} and that of {@code b}, whichever sign {@code b}'s has. */
    private static double columnDistance(double[] a, double[] b, int column) {
        double same = 0;
        double opposite = 0;
        for (int r = 0; r < 3; r++) {
            same += (a[r * 3 + column] - b[r * 3 + column]) * (a[r * 3 + column] - b[r * 3 + column]);
            opposite += (a[r * 3 + column] + b[r * 3 + column]) * (a[r * 3 + column] + b[r * 3 + column]);
        }
        return Math.sqrt(Math.min(same, opposite));
    }
}
