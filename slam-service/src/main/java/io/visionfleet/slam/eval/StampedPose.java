package io.visionfleet.slam.eval;

import io.visionfleet.slam.geometry.Pose;

/** A camera-to-world pose at a time in seconds. */
public record StampedPose(double timestamp, Pose pose) {
}
