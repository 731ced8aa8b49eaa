package io.visionfleet.sim.camera;

/**
 * An ideal pinhole camera (no distortion): pixel {@code (x, y)} sees the ray {@code ((x - cx) / fx, (y - cy) / fy, 1)}
 * in camera coordinates (x right, y down, z forward), pixel centres at integer coordinates.
 */
public record PinholeCamera(int width, int height, double fx, double fy, double cx, double cy) {

    /** A camera of horizontal field of view {@code hfovDeg} with square pixels and the principal point at the centre. */
    public static PinholeCamera withFieldOfView(int width, int height, double hfovDeg) {
        double f = width / 2.0 / Math.tan(Math.toRadians(hfovDeg) / 2);
        return new PinholeCamera(width, height, f, f, (width - 1) / 2.0, (height - 1) / 2.0);
    }
}
