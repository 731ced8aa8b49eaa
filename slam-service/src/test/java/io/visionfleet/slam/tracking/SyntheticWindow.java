package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A map segment with known truth for bundle adjustment: keyframes 10 cm apart along x, turning slightly, looking at
 * a cloud of landmarks 4 to 8 units ahead; every landmark is observed, with Gaussian pixel noise, by each keyframe
 * whose 640x480 picture it falls in.
 */
final class SyntheticWindow {
    static final CameraModel CAMERA = CameraModel.pinhole(500, 500, 319.5, 239.5);

    final MapSegment segment = new MapSegment(0);
    final List<Pose> truePoses = new ArrayList<>();
    final List<double[]> truePoints = new ArrayList<>();
    private final Random random;

    SyntheticWindow(int keyframes, int landmarks, double noisePx, long seed) {
        random = new Random(seed);
        for (int i = 0; i < keyframes; i++) {
            double[] rotation = {0.01 * i, -0.03 * i, 0.005 * i};
            double[] centre = {0.1 * i, 0.02 * Math.sin(i), 0};
            double[] r = Mat3.exp(rotation);
            Pose worldToCamera = new Pose(r, Mat3.times(Mat3.apply(r, centre), -1));
            truePoses.add(worldToCamera);
            segment.keyframes.add(new Keyframe(i, 10L * i, i / 3.0, worldToCamera));
        }
        while (segment.landmarks.size() < landmarks) {
            double[] x = {-2 + 4.6 * random.nextDouble(), -1.5 + 3 * random.nextDouble(), 4 + 4 * random.nextDouble()};
            Landmark lm = new Landmark(segment.landmarks.size(), x.clone());
            List<double[]> seen = new ArrayList<>();
            for (Keyframe kf : segment.keyframes) {
                double[] uv = CAMERA.project(kf.worldToCamera.apply(x));
                if (uv[0] >= 0 && uv[0] < 640 && uv[1] >= 0 && uv[1] < 480) {
                    seen.add(new double[]{kf.id, uv[0] + noisePx * random.nextGaussian(), uv[1] + noisePx * random.nextGaussian()});
                }
            }
            if (seen.size() >= 2) {
                for (double[] s : seen) {
                    lm.observe(segment.keyframes.get((int) s[0]), s[1], s[2]);
                }
                segment.landmarks.add(lm);
                truePoints.add(x);
            }
        }
    }

    /**
     * Moves keyframes {@code from} onward off their true pose (rotation by {@code rotationRad} and translation by
     * {@code translation} per axis, Gaussian) and every landmark by {@code point} per axis: a tracker's estimate.
     */
    void perturb(int from, double rotationRad, double translation, double point) {
        for (Keyframe kf : segment.keyframes.subList(from, segment.keyframes.size())) {
            Pose p = kf.worldToCamera;
            double[] dr = Mat3.exp(gaussian(rotationRad));
            kf.worldToCamera = new Pose(Mat3.mul(dr, p.r()), Mat3.add(p.t(), gaussian(translation)));
        }
        for (Landmark lm : segment.landmarks) {
            lm.position = Mat3.add(lm.position, gaussian(point));
        }
    }

    /** Camera centre of keyframe {@code i} now, in world coordinates. */
    double[] centre(int i) {
        return segment.keyframes.get(i).cameraToWorld().t();
    }

    /** Camera centre of keyframe {@code i} in the truth. */
    double[] trueCentre(int i) {
        return truePoses.get(i).inverse().t();
    }

    private double[] gaussian(double sigma) {
        return new double[]{sigma * random.nextGaussian(), sigma * random.nextGaussian(), sigma * random.nextGaussian()};
    }
}
