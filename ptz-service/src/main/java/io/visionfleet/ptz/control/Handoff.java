package io.visionfleet.ptz.control;

/**
 * A target passed from one camera to a neighbour: its label, its bearing and angular velocity at {@code timeMs}
 * (pan/tilt degrees in the frame the neighbours share), from which the neighbour predicts where to look, and its
 * appearance (the colour histogram of its mask, averaged while it was followed; null when the camera has no pictures).
 */
public record Handoff(String fromCamera, String label, double panDeg, double tiltDeg, double panRate, double tiltRate,
                      long timeMs, float[] appearance) {
    /** Where the target should be at {@code nowMs}. */
    public double[] predicted(long nowMs) {
        double s = (nowMs - timeMs) / 1000.0;
        return new double[]{panDeg + panRate * s, tiltDeg + tiltRate * s};
    }
}
