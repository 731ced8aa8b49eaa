package io.visionfleet.slam.imu;

/**
 * One inertial sample in body axes.
 *
 * @param time  seconds since the epoch, on the video's capture clock
 * @param gyro  angular velocity, rad/s
 * @param accel specific force, m/s² (points up when at rest)
 */
public record ImuReading(double time, double[] gyro, double[] accel) {
}
