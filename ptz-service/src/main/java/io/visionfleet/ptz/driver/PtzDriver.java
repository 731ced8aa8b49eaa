package io.visionfleet.ptz.driver;

/**
 * A PTZ camera. Speeds are normalised to [-1, 1] of the camera's full speed (pan right, tilt up and zoom in positive);
 * angles are degrees, zoom the optical factor. Implementations clamp values to the camera's ranges.
 */
public interface PtzDriver extends AutoCloseable {
    /** Starts a continuous move at these speeds (all zero stops). */
    void moveRelative(double panSpeed, double tiltSpeed, double zoomSpeed);

    /** A continuous move that the camera ends by itself after {@code durationMs}. */
    void moveFor(double panSpeed, double tiltSpeed, double zoomSpeed, long durationMs);

    /** Moves to an absolute position. */
    void moveTo(double panDeg, double tiltDeg, double zoom);

    /** Moves to stored preset {@code n} (1 is home). */
    void goPreset(int n);

    /** Stores the current position as preset {@code n}. */
    void setPreset(int n);

    void stop();

    PtzStatus status();

    PtzCapabilities capabilities();

    @Override
    default void close() {
    }
}
