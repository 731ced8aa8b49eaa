package io.visionfleet.ptz.control;

/**
 * Where to point and how fast the aim moves: bearing in degrees, angular rates in degrees/s, height as a
 * fraction of the picture's.
 */
record Aim(double panDeg, double tiltDeg, double heightFraction, double panRate, double tiltRate) {
    /**
     * A followed track's aim at {@code frameTs}, the latest frame's capture. A track hidden in that frame is held where
     * it was last seen, without rates: a motion tracker loses a target that stops, and the velocity of its last frames
     * (a shrinking mask as it stops) then points away from it; steering by it ran the camera off a standing runner.
     */
    static Aim of(Track t, long frameTs, Optics optics) {
        boolean seen = t.lastSeenTs == frameTs;
        return new Aim(t.pan.position(), t.tilt.position(), t.height / optics.height(), seen ? t.pan.velocity() : 0,
                seen ? t.tilt.velocity() : 0);
    }
}
