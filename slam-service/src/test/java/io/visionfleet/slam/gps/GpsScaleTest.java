package io.visionfleet.slam.gps;

import io.visionfleet.slam.geometry.Mat3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scale fit: exact on exact data, close under GPS noise and jumps, silent while the path is short. */
@Tag("quick")
class GpsScaleTest {
    /** Map positions: a curved path of about 5 map units; metres are 37.5 of them, turned and moved. */
    private static final double SCALE = 37.5;
    private static final double[] ROTATION = Mat3.exp(new double[]{0.3, -1.1, 0.4});
    private static final double[] OFFSET = {120, -40, 8};

    @Test
    void recoversAKnownScale() {
        List<double[]> map = path(40);
        GpsScale.Fit fit = new GpsScale(10, 8).fit(map, metres(map, 0, 0, new Random(1))).orElseThrow();
        assertThat(fit.scale()).isCloseTo(SCALE, within(1e-9));
        assertThat(fit.rmseM()).isLessThan(1e-9);
        assertThat(fit.pairs()).isEqualTo(40);
    }

    @Test
    void staysCloseUnderGpsNoiseAndIgnoresJumps() {
        List<double[]> map = path(60);
        Random random = new Random(7);
        GpsScale.Fit noisy = new GpsScale(10, 8).fit(map, metres(map, 2.0, 0, random)).orElseThrow();
        assertThat(noisy.scale()).isCloseTo(SCALE, within(SCALE * 0.02));
        assertThat(noisy.rmseM()).isBetween(2.0, 4.5); // about sqrt(3) x 2 m
        // six multipath jumps of 40 m among the noisy fixes
        GpsScale.Fit jumps = new GpsScale(10, 8).fit(map, metres(map, 2.0, 6, random)).orElseThrow();
        assertThat(jumps.scale()).isCloseTo(SCALE, within(SCALE * 0.02));
        assertThat(jumps.pairs()).isEqualTo(54);
    }

    @Test
    void givesNothingWhileThePathIsShortOrTheKeyframesFew() {
        List<double[]> map = path(40);
        List<double[]> gps = metres(map, 0, 0, new Random(3));
        // the first 4 keyframes span about 13 m: too few pairs for 8, too short for 100 m; the whole path about 130 m
        assertThat(new GpsScale(10, 8).fit(map.subList(0, 4), gps.subList(0, 4))).isEmpty();
        assertThat(new GpsScale(250, 3).fit(map, gps)).isEmpty();
        assertThat(new GpsScale(100, 3).fit(map.subList(0, 4), gps.subList(0, 4))).isEmpty();
        assertThat(new GpsScale(10, 3).fit(map.subList(0, 4), gps.subList(0, 4))).isPresent();
    }

    /** {@code n} camera centres along a space curve of about 5 map units. */
    private static List<double[]> path(int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = i / (double) (n - 1);
            out.add(new double[]{3.4 * u, 0.3 * Math.sin(2 * Math.PI * u), 0.8 * Math.sin(Math.PI * u) + 0.1 * u});
        }
        return out;
    }

    /** The metric positions: scaled, turned and moved, plus Gaussian noise and {@code jumps} 40 m outliers. */
    private static List<double[]> metres(List<double[]> map, double sigma, int jumps, Random random) {
        List<double[]> out = new ArrayList<>();
        for (double[] p : map) {
            double[] q = Mat3.add(Mat3.times(Mat3.apply(ROTATION, p), SCALE), OFFSET);
            out.add(Mat3.add(q, new double[]{sigma * random.nextGaussian(), sigma * random.nextGaussian(), sigma * random.nextGaussian()}));
        }
        for (int j = 0; j < jumps; j++) {
            int i = 3 + j * (map.size() - 6) / jumps;
            out.set(i, Mat3.add(out.get(i), new double[]{40, 0, 0}));
        }
        return out;
    }
}
