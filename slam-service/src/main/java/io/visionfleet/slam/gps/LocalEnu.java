package io.visionfleet.slam.gps;

/**
 * East-north-up metres around an origin fix, equirectangular: exact enough (well under 0.1 %) over the few
 * kilometres a stream covers, and far cheaper than going through ECEF.
 */
public final class LocalEnu {
    /** Mean Earth radius, metres. */
    static final double EARTH_RADIUS = 6_371_008.8;

    private final GpsFix origin;
    private final double metresPerDegLat;
    private final double metresPerDegLon;

    public LocalEnu(GpsFix origin) {
        this.origin = origin;
        this.metresPerDegLat = Math.toRadians(EARTH_RADIUS);
        this.metresPerDegLon = metresPerDegLat * Math.cos(Math.toRadians(origin.lat()));
    }

    /** {@code [east, north, up]} of {@code fix} in metres. */
    public double[] toEnu(GpsFix fix) {
        double dLon = fix.lon() - origin.lon();
        // the short way round across the antimeridian
        if (dLon > 180) {
            dLon -= 360;
        } else if (dLon < -180) {
            dLon += 360;
        }
        return new double[]{dLon * metresPerDegLon, (fix.lat() - origin.lat()) * metresPerDegLat, fix.alt() - origin.alt()};
    }
}
