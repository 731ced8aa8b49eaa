package io.visionfleet.sim.camera;

import io.visionfleet.common.geometry.Quaternions;

/**
 * A camera-to-world pose: a point {@code p} in camera coordinates is at {@code r p + t} in the world.
 *
 * @param r rotation, row-major 3x3 (its columns are the camera axes in world coordinates)
 * @param t camera centre in the world
 */
public record CameraPose(double[] r, double[] t) {

    /** The unit quaternion (x, y, z, w) of {@code r}, w non-negative, as TUM files store it. */
    public double[] quaternion() {
        return Quaternions.ofRotation(r);
    }
}
