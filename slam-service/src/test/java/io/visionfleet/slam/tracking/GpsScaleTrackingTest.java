package io.visionfleet.slam.tracking;

import io.visionfleet.sim.camera.CameraPose;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.eval.Association;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TrajectoryError;
import io.visionfleet.slam.gps.GpsFix;
import io.visionfleet.slam.gps.GpsScale;
import io.visionfleet.slam.gps.GpsTrack;
import io.visionfleet.slam.gps.SegmentScales;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The synthetic sequence tracked as it is, with GPS fixes made from its ground truth: the scale fitted to GPS
 * turns the map into metres, checked with a rigid (SE(3)) alignment only. Monocular pictures look the same at
 * any scale, so the sequence stands for a flight {@link #WORLD_SCALE} times larger (a 230 m path), where GPS
 * noise of 2 m is what a real receiver gives and the path is long enough to measure against it.
 */
@Tag("integration") // a quality run over whole synthetic clips: too slow for the inner loop
class GpsScaleTrackingTest {
    private static final SyntheticSequence SEQ = SyntheticSequence.standard(320, 240, false);
    private static final double WORLD_SCALE = 50;
    private static final double GPS_SIGMA_M = 2.0;
    private static final double GPS_HZ = 10;
    private static final double METRES_PER_DEG_LAT = 111_195.08;
    private static final double LAT0 = 48.1374;
    private static final double LON0 = 11.5755;

    @Test
    void gpsGivesTheMapItsMetricScale() throws Exception {
        GpsTrack gps = new GpsTrack(2.0);
        Random random = new Random(42);
        for (int i = 0; i <= SEQ.frames() / (double) SEQ.fps() * GPS_HZ; i++) {
            double t = i / GPS_HZ;
            double[] c = SEQ.path().at(t).t(); // world x, y, z taken as east, north, up
            gps.add(new GpsFix(t,
                    LAT0 + (WORLD_SCALE * c[1] + GPS_SIGMA_M * random.nextGaussian()) / METRES_PER_DEG_LAT,
                    LON0 + (WORLD_SCALE * c[0] + GPS_SIGMA_M * random.nextGaussian())
                            / (METRES_PER_DEG_LAT * Math.cos(Math.toRadians(LAT0))),
                    52 + WORLD_SCALE * c[2] + GPS_SIGMA_M * random.nextGaussian()));
        }
        SegmentScales scales = new SegmentScales(gps, new GpsScale(10, 8));
        try (MonocularTracker tracker = new MonocularTracker(SequenceRun.cameraOf(SEQ), TrackerSettings.defaults(), ImuPrior.NONE)) {
            SequenceRun run = SequenceRun.of(SEQ, tracker);
            assertThat(run.segments).containsOnly(0);
            List<MonocularTracker.KeyframePose> keyframes = tracker.segments().get(0).keyframes();
            // too little of the path yet: the first 3 keyframes
            assertThat(scales.update(0, keyframes.subList(0, 3))).isEmpty();
            GpsScale.Fit fit = scales.update(0, keyframes).orElseThrow();

            double trueScale = WORLD_SCALE * run.ate().scale(); // metres per map unit, from the ground truth
            double scaleError = fit.scale() / trueScale - 1;
            double pathLength = WORLD_SCALE * SEQ.path().length();
            TrajectoryError.Ate metric = TrajectoryError.ate(Association.associate(
                    metres(run.estimate, fit.scale()), metres(run.truth, WORLD_SCALE),
                    Association.DEFAULT_MAX_DIFFERENCE), false);
            System.out.printf("GPS scale %.3f m/unit from %d keyframes (GPS fit rmse %.2f m, extent %.1f m), truth %.3f"
                            + " (error %.2f %%); SE(3) ATE in metres %.3f m (%.3f %% of %.1f m)%n",
                    fit.scale(), fit.pairs(), fit.rmseM(), fit.extentM(), trueScale, 100 * scaleError, metric.rmse(),
                    100 * metric.rmse() / pathLength, pathLength);
            assertThat(Math.abs(scaleError)).isLessThan(0.03);
            assertThat(metric.rmse()).isLessThan(0.005 * pathLength);
            assertThat(scales.get(1)).isEmpty(); // each segment has its own scale
        }
    }

    /** The poses with positions multiplied by {@code scale}. */
    private static List<StampedPose> metres(List<StampedPose> poses, double scale) {
        List<StampedPose> out = new ArrayList<>();
        for (StampedPose p : poses) {
            out.add(new StampedPose(p.timestamp(), p.pose().scaled(scale)));
        }
        return out;
    }
}
