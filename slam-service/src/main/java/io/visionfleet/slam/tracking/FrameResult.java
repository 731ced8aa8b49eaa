package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Pose;

/**
 * What the tracker made of one frame.
 *
 * @param state         tracking state
 * @param cameraToWorld pose in the segment's world frame; null unless {@code state.hasPose()}
 * @param keyframe      whether the frame became a keyframe
 * @param inliers       PnP inliers when tracking; features followed while initialising
 * @param segment       the map segment the pose belongs to (or that is being initialised)
 * @param timings       time spent per stage
 */
public record FrameResult(TrackingState state, Pose cameraToWorld, boolean keyframe, int inliers, int segment,
                          StageTimes timings) {
}
