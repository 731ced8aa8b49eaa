package io.visionfleet.slam.tracking;

import java.util.Optional;

/**
 * What inertial data can tell the tracker, in camera axes (x right, y down, z forward). Either answer may be
 * empty when no samples cover the time asked; the tracker then works from images alone.
 */
public interface ImuPrior {
    /** No inertial data. */
    ImuPrior NONE = new ImuPrior() {
        @Override
        public Optional<double[]> rotation(double fromSeconds, double toSeconds) {
            return Optional.empty();
        }

        @Override
        public Optional<double[]> up(double seconds) {
            return Optional.empty();
        }
    };

    /**
     * The rotation of the camera from {@code fromSeconds} to {@code toSeconds} as a row-major 3x3 matrix that maps
     * camera coordinates at the first time to camera coordinates at the second (gyro integration).
     */
    Optional<double[]> rotation(double fromSeconds, double toSeconds);

    /** The unit "up" direction (opposite to gravity) in camera axes at {@code seconds} (from the accelerometer). */
    Optional<double[]> up(double seconds);
}
