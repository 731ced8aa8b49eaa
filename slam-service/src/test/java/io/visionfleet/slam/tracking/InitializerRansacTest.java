package io.visionfleet.slam.tracking;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.findEssentialMat;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

/** How long the two-view start searches for a motion: as long as one that could initialise needs, no longer. */
@Tag("quick")
class InitializerRansacTest {
    private static final int MIN_POINTS = TrackerSettings.defaults().initMinPoints();

    @Test
    void fewPointsAboveTheMinimumNeedFewIterations() {
        // a motion that 60 of 71 points fit is found by a sample of five of them within 13 draws (0.999)
        assertThat(Initializer.ransacIterations(71, MIN_POINTS)).isEqualTo(13);
        assertThat(Initializer.ransacIterations(MIN_POINTS, MIN_POINTS)).isEqualTo(10);
        assertThat(Initializer.ransacIterations(120, MIN_POINTS)).isEqualTo(218);
    }

    @Test
    void manyPointsKeepOpenCvsCap() {
        assertThat(Initializer.ransacIterations(300, MIN_POINTS)).isEqualTo(1000);
        int previous = 0;
        for (int count = MIN_POINTS; count <= 300; count++) {
            int iterations = Initializer.ransacIterations(count, MIN_POINTS);
            assertThat(iterations).as("%d points", count).isGreaterThanOrEqualTo(previous);
            previous = iterations;
        }
    }

    /** 60 of 100 followed points see a moving camera, the rest are noise: the iterations asked for find that motion. */
    @Test
    void theIterationsFindAMotionThatEnoughPointsFit() {
        CameraModel camera = CameraModel.pinhole(400, 400, 320, 180);
        Random random = new Random(7);
        int count = 100;
        double[] before = new double[2 * count];
        double[] after = new double[2 * count];
        double angle = Math.toRadians(2);
        for (int i = 0; i < count; i++) {
            if (i < MIN_POINTS) {
                double x = random.nextDouble() * 6 - 3;
                double y = random.nextDouble() * 3 - 1.5;
                double z = 4 + random.nextDouble() * 4;
                project(x, y, z, before, i);
                // the second camera 0.3 m to the right, turned 2 degrees about its vertical axis
                double xs = x - 0.3;
                project(Math.cos(angle) * xs - Math.sin(angle) * z, y, Math.sin(angle) * xs + Math.cos(angle) * z,
                        after, i);
            } else {
                before[2 * i] = random.nextDouble() * 640;
                before[2 * i + 1] = random.nextDouble() * 360;
                after[2 * i] = random.nextDouble() * 640;
                after[2 * i + 1] = random.nextDouble() * 360;
            }
        }
        Mat inliers = new Mat();
        Mat e = findEssentialMat(NativeMats.points2d(before, count), NativeMats.points2d(after, count),
                camera.cameraMatrix(), RANSAC, 0.999, 1.0, Initializer.ransacIterations(count, MIN_POINTS), inliers);
        assertThat(e.rows()).isGreaterThanOrEqualTo(3);
        assertThat(countNonZero(inliers)).isGreaterThanOrEqualTo(MIN_POINTS);
    }

    private static void project(double x, double y, double z, double[] uv, int i) {
        uv[2 * i] = 320 + 400 * x / z;
        uv[2 * i + 1] = 180 + 400 * y / z;
    }
}
