package io.visionfleet.ptz.driver;

/** Where the camera points and whether it is moving. */
public record PtzStatus(double panDeg, double tiltDeg, double zoom, boolean moving) {
}
