package io.visionfleet.sim.camera;

/**
 * What an ideal IMU rigidly mounted with the camera's axes reads.
 *
 * @param timestamp seconds from the start of the sequence
 * @param gyro      angular velocity in camera axes, rad/s
 * @param accel     specific force in camera axes, m/s² (at rest it points up: minus gravity)
 */
public record ImuSample(double timestamp, double[] gyro, double[] accel) {
}
