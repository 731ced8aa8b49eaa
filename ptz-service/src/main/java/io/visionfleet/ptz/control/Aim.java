package io.visionfleet.ptz.control;

/**
 * What the loop aims at: its bearing at capture time and world velocity (degrees, degrees/s), and its height as a
 * fraction of the picture's.
 */
record Aim(double panDeg, double tiltDeg, double heightFraction, double panRate, double tiltRate) {
    /**
     * A followed track's aim at {@code frameTs}, the latest frame's capture: a track hidden in that frame is where its
     * velocity has taken it since it was last seen.
     */
    static Aim of(Track t, long frameTs, Optics optics) {
        double hidden = Math.max(0, (frameTs - t.lastSeenTs) / 1000.0);
        return new Aim(t.pan.predict(hidden), t.tilt.predict(hidden), t.height / optics.height(), t.pan.velocity(),
                t.tilt.velocity());
    }
}
