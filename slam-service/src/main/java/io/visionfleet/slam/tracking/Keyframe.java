package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Pose;

import java.util.ArrayList;
import java.util.List;

/**
 * A frame kept in the map: its pose (bundle adjustment refines it), the landmarks it observed and, for
 * relocalisation, ORB descriptors of those observations.
 */
final class Keyframe {
    final int id;
    final long frameNumber;
    final double timestamp;
    /** World-to-camera transform. */
    Pose worldToCamera;
    final List<Observation> observations = new ArrayList<>();
    /** ORB descriptors (4 longs = 256 bits each) and the landmark each describes, for relocalisation. */
    long[][] descriptors = new long[0][];
    Landmark[] described = new Landmark[0];

    Keyframe(int id, long frameNumber, double timestamp, Pose worldToCamera) {
        this.id = id;
        this.frameNumber = frameNumber;
        this.timestamp = timestamp;
        this.worldToCamera = worldToCamera;
    }

    Pose cameraToWorld() {
        return worldToCamera.inverse();
    }
}
