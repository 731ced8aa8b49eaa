package io.visionfleet.sim.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Ray-casts {@link TexturedRoom} from a {@link CameraPose} into a BGR24 picture, 2x2 samples per pixel.
 * Rows are rendered in parallel; the result depends only on the pose.
 */
final class SequenceRenderer {
    private static final double[] SUBPIXEL = {-0.25, 0.25};
    /** Surfaces closer than this to the camera plane are clipped (metres). */
    private static final double NEAR = 0.05;

    private final PinholeCamera camera;
    private final List<TexturedRoom.Plane> planes;

    SequenceRenderer(PinholeCamera camera, TexturedRoom room) {
        this.camera = camera;
        this.planes = room.planes();
    }

    /** Renders the view from {@code pose} into {@code bgr} (width * height * 3 bytes, rows packed). */
    void render(CameraPose pose, byte[] bgr) {
        int w = camera.width();
        if (bgr.length != w * camera.height() * 3) {
            throw new IllegalArgumentException("buffer of " + bgr.length + " bytes for a " + w + "x" + camera.height() + " picture");
        }
        Frame frame = new Frame(pose);
        IntStream.range(0, camera.height()).parallel().forEach(y -> {
            double[] sum = new double[3];
            double[] hit = new double[4];
            for (int x = 0; x < w; x++) {
                sum[0] = 0;
                sum[1] = 0;
                sum[2] = 0;
                for (double sy : SUBPIXEL) {
                    for (double sx : SUBPIXEL) {
                        frame.sample(x + sx, y + sy, sum, hit);
                    }
                }
                int p = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    bgr[p + c] = (byte) Math.max(0, Math.min(255, Math.round(sum[c] / 4)));
                }
            }
        });
    }

    /** Depth (camera z, metres) of the surface seen at pixel {@code (px, py)} from {@code pose}; infinite where none is. */
    double depth(CameraPose pose, double px, double py) {
        double[] hit = new double[4];
        return new Frame(pose).nearest(px, py, hit) < 0 ? Double.POSITIVE_INFINITY : hit[0];
    }

    /** Per-pose constants of every plane, so a sample costs three dot products per plane. */
    private final class Frame {
        private final double[] r;
        private final double[][] n = new double[planes.size()][];
        private final double[][] eu = new double[planes.size()][];
        private final double[][] ev = new double[planes.size()][];
        private final double[] nOffset = new double[planes.size()];
        private final double[] uOffset = new double[planes.size()];
        private final double[] vOffset = new double[planes.size()];
        private final double[] sizeU = new double[planes.size()];
        private final double[] sizeV = new double[planes.size()];
        /** Per plane and picture row, the x range its projection may cover (conservative): rays outside skip it. */
        private final float[][] spanMin = new float[planes.size()][];
        private final float[][] spanMax = new float[planes.size()][];

        Frame(CameraPose pose) {
            r = pose.r();
            double[] c = pose.t();
            for (int i = 0; i < planes.size(); i++) {
                TexturedRoom.Plane p = planes.get(i);
                double[] toOrigin = {p.origin()[0] - c[0], p.origin()[1] - c[1], p.origin()[2] - c[2]};
                n[i] = p.normal();
                eu[i] = p.eu();
                ev[i] = p.ev();
                nOffset[i] = dot(n[i], toOrigin);
                uOffset[i] = -dot(eu[i], toOrigin);
                vOffset[i] = -dot(ev[i], toOrigin);
                sizeU[i] = p.sizeU();
                sizeV[i] = p.sizeV();
                spans(i, p, c, r, spanMin, spanMax);
            }
        }

        void sample(double px, double py, double[] bgr, double[] hit) {
            int plane = nearest(px, py, hit);
            if (plane < 0) {
                return; // black: outside the room, which the standard path never sees
            }
            TexturedRoom.Plane p = planes.get(plane);
            double footprint = hit[0] / camera.fx() / Math.max(hit[3], 0.25);
            double grey = TexturedRoom.texture(p, hit[1], hit[2], footprint);
            double[] tint = p.tint();
            bgr[0] += grey * tint[0];
            bgr[1] += grey * tint[1];
            bgr[2] += grey * tint[2];
        }

        /**
         * The plane seen at pixel {@code (px, py)}, or -1; fills {@code hit} with its depth (camera z), texture
         * coordinates u, v and the cosine of the incidence angle.
         */
        int nearest(double px, double py, double[] hit) {
            double xc = (px - camera.cx()) / camera.fx();
            double yc = (py - camera.cy()) / camera.fy();
            double dx = r[0] * xc + r[1] * yc + r[2];
            double dy = r[3] * xc + r[4] * yc + r[5];
            double dz = r[6] * xc + r[7] * yc + r[8];
            double best = Double.POSITIVE_INFINITY;
            int found = -1;
            int row = (int) Math.round(py);
            for (int i = 0; i < n.length; i++) {
                if (row >= 0 && row < camera.height() && (px < spanMin[i][row] || px > spanMax[i][row])) {
                    continue;
                }
                double[] ni = n[i];
                double denom = ni[0] * dx + ni[1] * dy + ni[2] * dz;
                if (Math.abs(denom) < 1e-9) {
                    continue;
                }
                double depth = nOffset[i] / denom; // z in camera coordinates, since d has unit z there
                if (depth <= 1e-6 || depth >= best) {
                    continue;
                }
                double[] a = eu[i];
                double u = uOffset[i] + depth * (a[0] * dx + a[1] * dy + a[2] * dz);
                if (u < 0 || u > sizeU[i]) {
                    continue;
                }
                double[] b = ev[i];
                double v = vOffset[i] + depth * (b[0] * dx + b[1] * dy + b[2] * dz);
                if (v < 0 || v > sizeV[i]) {
                    continue;
                }
                best = depth;
                found = i;
                hit[0] = depth;
                hit[1] = u;
                hit[2] = v;
                hit[3] = Math.abs(denom) / Math.sqrt(dx * dx + dy * dy + dz * dz);
            }
            return found;
        }
    }

    /**
     * Fills the row spans of plane {@code i}: its corners in camera coordinates, clipped to the space in front of
     * the camera, projected, and the polygon's x extent taken over each row's band (plus a pixel of margin).
     */
    private void spans(int i, TexturedRoom.Plane p, double[] centre, double[] r, float[][] spanMin, float[][] spanMax) {
        double[][] corners = {
                p.origin(),
                add(p.origin(), p.eu(), p.sizeU(), p.ev(), 0),
                add(p.origin(), p.eu(), p.sizeU(), p.ev(), p.sizeV()),
                add(p.origin(), p.eu(), 0, p.ev(), p.sizeV())};
        List<double[]> poly = new ArrayList<>();
        for (double[] w : corners) {
            double[] d = {w[0] - centre[0], w[1] - centre[1], w[2] - centre[2]};
            poly.add(new double[]{r[0] * d[0] + r[3] * d[1] + r[6] * d[2], r[1] * d[0] + r[4] * d[1] + r[7] * d[2],
                    r[2] * d[0] + r[5] * d[1] + r[8] * d[2]});
        }
        List<double[]> clipped = new ArrayList<>();
        for (int k = 0; k < poly.size(); k++) {
            double[] a = poly.get(k);
            double[] b = poly.get((k + 1) % poly.size());
            boolean aIn = a[2] >= NEAR;
            boolean bIn = b[2] >= NEAR;
            if (aIn) {
                clipped.add(a);
            }
            if (aIn != bIn) {
                double f = (NEAR - a[2]) / (b[2] - a[2]);
                clipped.add(new double[]{a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), NEAR});
            }
        }
        int h = camera.height();
        spanMin[i] = new float[h];
        spanMax[i] = new float[h];
        java.util.Arrays.fill(spanMin[i], Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(spanMax[i], Float.NEGATIVE_INFINITY);
        int m = clipped.size();
        if (m < 3) {
            return;
        }
        double[] xs = new double[m];
        double[] ys = new double[m];
        for (int k = 0; k < m; k++) {
            double[] c = clipped.get(k);
            xs[k] = camera.fx() * c[0] / c[2] + camera.cx();
            ys[k] = camera.fy() * c[1] / c[2] + camera.cy();
        }
        for (int y = 0; y < h; y++) {
            double top = y - 0.5;
            double bottom = y + 0.5;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                int next = (k + 1) % m;
                // the part of edge k inside the band [top, bottom] spans x between its clipped end points
                double y0 = ys[k];
                double y1 = ys[next];
                double tMin = 0;
                double tMax = 1;
                if (y1 != y0) {
                    double ta = (top - y0) / (y1 - y0);
                    double tb = (bottom - y0) / (y1 - y0);
                    tMin = Math.max(0, Math.min(ta, tb));
                    tMax = Math.min(1, Math.max(ta, tb));
                } else if (y0 < top || y0 > bottom) {
                    continue;
                }
                if (tMin > tMax) {
                    continue;
                }
                double xa = xs[k] + tMin * (xs[next] - xs[k]);
                double xb = xs[k] + tMax * (xs[next] - xs[k]);
                lo = Math.min(lo, Math.min(xa, xb));
                hi = Math.max(hi, Math.max(xa, xb));
            }
            if (lo <= hi) { // a bounded polygon that meets the band also meets its edges there
                spanMin[i][y] = (float) (lo - 1);
                spanMax[i][y] = (float) (hi + 1);
            }
        }
    }

    private static double[] add(double[] o, double[] a, double sa, double[] b, double sb) {
        return new double[]{o[0] + a[0] * sa + b[0] * sb, o[1] + a[1] * sa + b[1] * sb, o[2] + a[2] * sa + b[2] * sb};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
