package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Svd3;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Time of one local bundle adjustment (the default window on {@link SyntheticWindow}: 6 free keyframes, 300
 * landmarks) and of the 3x3 SVD, {@link Svd3} against EJML's, which is why Svd3 stays. Prints the median of 8 rounds
 * after 4 warm-up rounds. Run under the test lock:
 * {@code flock /tmp/vf-test.lock ./mvnw -B -q -pl slam-service test -Dtest=AlgebraBenchmark -Dfleet.bench.algebra=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "fleet.bench.algebra", matches = "true")
@Tag("integration")
class AlgebraBenchmark {
    private static final int ROUNDS = 12;
    private static final int WARMUP = 4;

    @Test
    void run() {
        double[] ba = new double[ROUNDS];
        double[] hand = new double[ROUNDS];
        double[] ejml = new double[ROUNDS];
        double sink = 0;
        Random random = new Random(1);
        double[][] matrices = new double[64][9];
        for (double[] m : matrices) {
            Arrays.setAll(m, i -> random.nextGaussian());
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        for (int round = 0; round < ROUNDS; round++) {
            List<SyntheticWindow> scenes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SyntheticWindow scene = new SyntheticWindow(8, 300, 0.5, i);
                scene.perturb(2, Math.toRadians(0.5), 0.02, 0.05);
                scenes.add(scene);
            }
            LocalBundleAdjustment adjustment = new LocalBundleAdjustment(SyntheticWindow.CAMERA, TrackerSettings.defaults());
            long t0 = System.nanoTime();
            for (SyntheticWindow scene : scenes) {
                sink += adjustment.run(scene.segment).finalRmsPx();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) {
                sink += Svd3.of(matrices[i & 63]).s()[2];
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) {
                svd.decompose(new DMatrixRMaj(3, 3, true, matrices[i & 63]));
                sink += svd.getU(null, false).data[0] + svd.getV(null, false).data[0] + svd.getSingularValues()[2];
            }
            long t3 = System.nanoTime();
            ba[round] = (t1 - t0) / 1e6 / scenes.size();
            hand[round] = (t2 - t1) / 1e3 / 200_000;
            ejml[round] = (t3 - t2) / 1e3 / 200_000;
        }
        System.out.printf("local bundle adjustment (6 free keyframes, 300 landmarks, ~2300 observations): %.2f ms%n"
                        + "3x3 SVD: Svd3 %.3f us, EJML %.3f us (checksum %.3g)%n", median(ba), median(hand), median(ejml), sink);
    }

    private static double median(double[] rounds) {
        double[] measured = Arrays.copyOfRange(rounds, WARMUP, rounds.length);
        Arrays.sort(measured);
        return measured[measured.length / 2];
    }
}
