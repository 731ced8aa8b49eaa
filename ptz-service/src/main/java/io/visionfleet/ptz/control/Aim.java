package io.visionfleet.ptz.control;

/**
 * What the loop aims at: its bearing at capture time and world velocity (degrees, degrees/s), and its height as a
 * fraction of the picture's.
 */
record Aim(double panDeg, double tiltDeg, double heightFraction, double panRate, double tiltRate) {
    /** A followed track's aim. */
    static Aim of(Track t, Optics optics) {
        return new Aim(t.pan.position(), t.tilt.position(), t.height / optics.height(), t.pan.velocity(),
                t.tilt.velocity());
    }
}
