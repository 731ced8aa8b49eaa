package io.visionfleet.ptz.control;

import io.visionfleet.ptz.appearance.ColourHistogram;

import java.util.Locale;

/**
 * What the controller knows of one object of the camera's picture: its bearing filtered by a constant-velocity Kalman
 * filter per axis (so velocities are in degrees/s of the world, not of the moving picture), and when it last moved.
 */
final class Track {
    private static final double ACCEL_NOISE = 20;
    private static final double MEASUREMENT_NOISE = 0.3;

    final long id;
    String label;
    final VelocityKalman pan = new VelocityKalman(ACCEL_NOISE, MEASUREMENT_NOISE);
    final VelocityKalman tilt = new VelocityKalman(ACCEL_NOISE, MEASUREMENT_NOISE);
    /** Picture-space extent of the latest frame, pixels, and area. */
    double height;
    double top;
    double bottom;
    double left;
    double right;
    long area;
    /** The larger of the object's width and height, degrees. */
    double sizeDeg;
    /** Bearing where it was first seen (pan, tilt degrees); null before. */
    double[] origin;
    /** Colour histogram of the mask, a running average while colours are taken (see WorldTracks); null before. */
    float[] appearance;
    /** The followed target this track first showed beside (it may have walked off from it); null otherwise. */
    Long emergedFrom;
    /** The colour model of the followed target this track first showed beside, as it was then; null otherwise. */
    float[] beside;
    /**
     * The id this object was first tracked under: a track that showed where a missing track's way led is that one shown
     * again and carries its lineage (see WorldTracks); its own id otherwise.
     */
    long lineage;
    /** A newcomer was taken for this track shown again (each missing track explains one). */
    boolean continued;
    /** Whether its mask touched the picture's border in the latest frame. */
    boolean atBorder;
    long lastSeenTs;
    long lastMovedTs;
    /** When the object was first seen: a target re-found under a new id keeps its old track's (see Relock#refind). */
    long firstSeenTs;

    Track(long id, long ts) {
        this.id = id;
        this.lineage = id;
        this.firstSeenTs = ts;
        this.lastMovedTs = ts;
    }

    double speed() {
        return Math.hypot(pan.velocity(), tilt.velocity());
    }

    /** Colour similarity of this track with a reference; NaN when either has no colours. */
    double similarity(float[] reference) {
        return reference == null || appearance == null ? Double.NaN : ColourHistogram.similarity(reference, appearance);
    }

    /** {@link #similarity} for a log line: two decimals, or "unknown". */
    String similarityText(float[] reference) {
        double s = similarity(reference);
        return Double.isNaN(s) ? "unknown" : String.format(Locale.ROOT, "%.2f", s);
    }
}
