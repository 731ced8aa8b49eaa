package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;

import java.util.Optional;

/**
 * Constant-velocity prediction of the next world-to-camera pose, with the rotation taken from the gyro when
 * inertial data covers the interval. The prediction seeds optical flow for landmarks, so fast motion does
 * not exceed the KLT search range.
 */
final class MotionModel {
    private Pose last;
    private double lastTime;
    private Pose velocity;      // last * previous^-1, per interval
    private double interval;

    void reset() {
        last = null;
        velocity = null;
    }

    void update(Pose worldToCamera, double time) {
        if (last != null && time > lastTime) {
            velocity = worldToCamera.compose(last.inverse());
            interval = time - lastTime;
        }
        last = worldToCamera;
        lastTime = time;
    }

    /** The last pose moved on by the velocity, scaled to {@code time}, its rotation replaced by {@code imu}'s when known. */
    Pose predict(double time, ImuPrior imu) {
        if (last == null) {
            return null;
        }
        Pose step = Pose.IDENTITY;
        if (velocity != null && interval > 0) {
            double f = Math.min(3, Math.max(0, (time - lastTime) / interval));
            step = Pose.fromRotationVector(Mat3.times(velocity.rotationVector(), f), Mat3.times(velocity.t(), f));
        }
        Optional<double[]> rotation = imu.rotation(lastTime, time);
        if (rotation.isPresent()) {
            step = new Pose(rotation.get(), step.t());
        }
        return step.compose(last);
    }
}
