package io.visionfleet.slam.tracking;

/**
 * A feature followed from frame to frame by optical flow. It either observes a {@link Landmark} (used for
 * PnP) or is a candidate that remembers where it first appeared, to be triangulated once the camera has
 * moved far enough.
 */
final class Track {
    /** Raw pixel position in the latest frame. */
    float x;
    float y;
    /** Ideal (undistorted) pixel position in the latest frame. */
    double u;
    double v;
    Landmark landmark;
    /** Candidate origin: the keyframe it appeared in and its ideal pixel there. */
    Keyframe origin;
    double originU;
    double originV;

    Track(float x, float y, double u, double v) {
        this.x = x;
        this.y = y;
        this.u = u;
        this.v = v;
    }
}
