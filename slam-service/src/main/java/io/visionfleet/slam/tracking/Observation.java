package io.visionfleet.slam.tracking;

/** A landmark seen by a keyframe at ideal pixel {@code (u, v)}. */
record Observation(Keyframe keyframe, Landmark landmark, double u, double v) {
}
