package io.visionfleet.ptz.control;

/**
 * A rectilinear lens whose focal length scales with zoom: the field of view at zoom z is
 * {@code 2 atan(tan(hfov1/2) / z)}, and a pixel offset from the picture centre is an angle of {@code atan(offset / f)}
 * with f the focal length in pixels.
 */
public record Optics(double hfovDeg1x, int width, int height) {
    public Optics {
        if (!(hfovDeg1x > 0 && hfovDeg1x < 180) || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("optics need 0 < hfov < 180 and a picture size, got " + hfovDeg1x
                    + " deg, " + width + "x" + height);
        }
    }

    /** Horizontal field of view at {@code zoom}, degrees. */
    public double hfovDeg(double zoom) {
        return Math.toDegrees(2 * Math.atan(Math.tan(Math.toRadians(hfovDeg1x) / 2) / zoom));
    }

    /** Vertical field of view at {@code zoom}, degrees (square pixels). */
    public double vfovDeg(double zoom) {
        return Math.toDegrees(2 * Math.atan(height / (2 * focalPx(zoom))));
    }

    /** Focal length in pixels at {@code zoom}. */
    public double focalPx(double zoom) {
        return (width / 2.0) / Math.tan(Math.toRadians(hfovDeg1x) / 2) * zoom;
    }

    /** Angle, degrees, of a point {@code offsetPx} pixels from the picture centre along one axis. */
    public double degrees(double offsetPx, double zoom) {
        return Math.toDegrees(Math.atan(offsetPx / focalPx(zoom)));
    }

    /** Pixels from the centre of a point {@code deg} degrees off the optical axis. */
    public double pixels(double deg, double zoom) {
        return Math.tan(Math.toRadians(deg)) * focalPx(zoom);
    }
}
