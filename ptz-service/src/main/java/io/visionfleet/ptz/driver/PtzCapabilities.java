package io.visionfleet.ptz.driver;

/** The ranges a camera accepts,. */
public record PtzCapabilities(double panMin, double panMax, double tiltMin, double tiltMax, double zoomMin, double zoomMax,
                              int presets, boolean continuous, boolean absolute) {
    public double clampPan(double pan) {
        return clamp(pan, panMin, panMax);
    }

    public double clampTilt(double tilt) {
        return clamp(tilt, tiltMin, tiltMax);
    }

    public double clampZoom(double zoom) {
        return clamp(zoom, zoomMin, zoomMax);
    }

    public static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
