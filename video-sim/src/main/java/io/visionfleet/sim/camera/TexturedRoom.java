package io.visionfleet.sim.camera;

import java.util.List;

/**
 * A closed room (10 x 9 x 4 m) with free-standing panels and a box at 1.5 to 6 m from the camera path, every
 * surface covered by a procedural texture: three hashed cell grids of different sizes and angles, whose hard
 * edges give corners to detect. Grids finer than about two pixels fade to their mean, as mip-mapping would, so
 * the texture does not alias into flickering features.
 */
public final class TexturedRoom {
    /**
     * A textured rectangle {@code origin + u eu + v ev} with {@code 0 <= u <= sizeU}, {@code 0 <= v <= sizeV}.
     *
     * @param tint   BGR multipliers of the grey texture
     * @param cos    cosine of each cell grid's angle on this plane
     * @param sin    sine of each cell grid's angle on this plane
     */
    record Plane(double[] origin, double[] eu, double[] ev, double sizeU, double sizeV, int seed, double[] tint,
                 double[] cos, double[] sin) {
        double[] normal() {
            return new double[]{
                    eu[1] * ev[2] - eu[2] * ev[1], eu[2] * ev[0] - eu[0] * ev[2], eu[0] * ev[1] - eu[1] * ev[0]};
        }
    }

    private static final double[] X = {1, 0, 0};
    private static final double[] Y = {0, 1, 0};
    private static final double[] Z = {0, 0, 1};
    private static final double[] CELL_M = {0.55, 0.19, 0.075};
    private static final double[] CELL_AMPLITUDE = {55, 45, 32};
    private static final double[] CELL_ANGLE = {0.0, 0.47, 1.03};

    private final List<Plane> planes;

    private TexturedRoom(List<Plane> planes) {
        this.planes = planes;
    }

    /** The standard room that {@link CameraPath} moves through. */
    public static TexturedRoom standard() {
        double[] slanted = {0.8, -0.6, 0};
        return new TexturedRoom(List.of(
                plane(-5, 6, 0, X, Z, 10, 4, 1, 1.0, 1.0, 1.0),       // back wall
                plane(-5, -3, 0, X, Y, 10, 9, 2, 0.8, 0.95, 1.1),     // floor
                plane(-5, -3, 4, X, Y, 10, 9, 3, 1.1, 1.05, 0.9),     // ceiling
                plane(-5, -3, 0, Y, Z, 9, 4, 4, 0.9, 1.1, 0.9),       // west wall
                plane(5, -3, 0, Y, Z, 9, 4, 5, 1.05, 0.9, 1.05),      // east wall
                plane(-1.6, 2.2, 0.6, X, Z, 1.1, 1.5, 6, 1.15, 0.85, 0.85),
                plane(0.4, 3.0, 1.0, X, Z, 1.4, 1.6, 7, 0.85, 1.0, 1.15),
                plane(-3.2, 4.0, 0.0, X, Z, 1.2, 3.0, 8, 1.0, 1.15, 0.8),
                plane(2.2, 4.6, 0.3, X, Z, 1.5, 2.2, 9, 0.9, 0.9, 1.2),
                plane(-0.9, 5.2, 2.3, slanted, Z, 1.6, 1.2, 10, 1.1, 1.1, 0.95),
                plane(1.0, 1.8, 0.0, X, Z, 0.8, 1.0, 11, 0.8, 1.2, 1.0),    // box: front
                plane(1.0, 1.8, 0.0, Y, Z, 0.8, 1.0, 12, 0.9, 1.0, 1.1),    // box: west side
                plane(1.8, 1.8, 0.0, Y, Z, 0.8, 1.0, 13, 1.1, 1.0, 0.9),    // box: east side
                plane(1.0, 1.8, 1.0, X, Y, 0.8, 0.8, 14, 1.0, 0.9, 0.8)));  // box: top
    }

    private static Plane plane(double x, double y, double z, double[] eu, double[] ev, double su, double sv, int seed,
                               double b, double g, double r) {
        double[] cos = new double[CELL_M.length];
        double[] sin = new double[CELL_M.length];
        for (int k = 0; k < CELL_M.length; k++) {
            cos[k] = Math.cos(CELL_ANGLE[k] + seed);
            sin[k] = Math.sin(CELL_ANGLE[k] + seed);
        }
        return new Plane(new double[]{x, y, z}, eu, ev, su, sv, seed, new double[]{b, g, r}, cos, sin);
    }

    List<Plane> planes() {
        return planes;
    }

    /**
     * Grey value (0..255, before tint) of plane {@code p} at {@code (u, v)} for a pixel covering
     * {@code footprint} metres of the surface.
     */
    static double texture(Plane p, double u, double v, double footprint) {
        double value = 128;
        for (int k = 0; k < CELL_M.length; k++) {
            double cellPixels = CELL_M[k] / footprint;
            double fade = Math.min(1, Math.max(0, (cellPixels - 1.5) / 1.5));
            if (fade == 0) {
                continue;
            }
            double c = p.cos()[k];
            double s = p.sin()[k];
            long cu = (long) Math.floor((c * u - s * v) / CELL_M[k]);
            long cv = (long) Math.floor((s * u + c * v) / CELL_M[k]);
            value += fade * CELL_AMPLITUDE[k] * (2 * hash01(cu, cv, p.seed() * 31 + k) - 1);
        }
        return value;
    }

    private static double hash01(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
