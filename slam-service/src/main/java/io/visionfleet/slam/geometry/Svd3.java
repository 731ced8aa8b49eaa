package io.visionfleet.slam.geometry;

/**
 * Singular value decomposition {@code m = u diag(s) v^T} of a 3x3 matrix by one-sided Jacobi rotations:
 * small, exact to machine precision and free of native calls, which the evaluation code relies on.
 *
 * @param u orthogonal, row-major
 * @param s singular values, descending, non-negative
 * @param v orthogonal, row-major
 */
public record Svd3(double[] u, double[] s, double[] v) {
    private static final int MAX_SWEEPS = 60;

    public static Svd3 of(double[] m) {
        // columns of a are rotated until orthogonal; the same rotations accumulate in v
        double[] a = m.clone();
        double[] v = Mat3.identity();
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int r = 0; r < 3; r++) {
                        alpha += a[r * 3 + p] * a[r * 3 + p];
                        beta += a[r * 3 + q] * a[r * 3 + q];
                        gamma += a[r * 3 + p] * a[r * 3 + q];
                    }
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double sn = c * t;
                    rotateColumns(a, p, q, c, sn);
                    rotateColumns(v, p, q, c, sn);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] s = new double[3];
        double[] u = new double[9];
        for (int j = 0; j < 3; j++) {
            s[j] = Math.sqrt(a[j] * a[j] + a[3 + j] * a[3 + j] + a[6 + j] * a[6 + j]);
        }
        Integer[] order = {0, 1, 2};
        java.util.Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double[] so = new double[3];
        double[] vo = new double[9];
        for (int k = 0; k < 3; k++) {
            int j = order[k];
            so[k] = s[j];
            for (int r = 0; r < 3; r++) {
                vo[r * 3 + k] = v[r * 3 + j];
                u[r * 3 + k] = s[j] > 1e-300 ? a[r * 3 + j] / s[j] : 0;
            }
        }
        completeBasis(u, so);
        return new Svd3(u, so, vo);
    }

    /** Columns of u that belong to zero singular values are undefined: fill them to keep u orthogonal. */
    private static void completeBasis(double[] u, double[] s) {
        double eps = 1e-12 * Math.max(s[0], 1e-300);
        if (s[0] <= eps) {
            System.arraycopy(Mat3.identity(), 0, u, 0, 9);
            return;
        }
        double[] c0 = {u[0], u[3], u[6]};
        double[] c1 = {u[1], u[4], u[7]};
        if (s[1] <= eps) {
            double[] axis = Math.abs(c0[0]) < 0.9 ? new double[]{1, 0, 0} : new double[]{0, 1, 0};
            c1 = Mat3.cross(c0, axis);
            c1 = Mat3.times(c1, 1 / Mat3.norm(c1));
            u[1] = c1[0];
            u[4] = c1[1];
            u[7] = c1[2];
        }
        if (s[2] <= eps) {
            double[] c2 = Mat3.cross(c0, c1);
            u[2] = c2[0];
            u[5] = c2[1];
            u[8] = c2[2];
        }
    }

    private static void rotateColumns(double[] m, int p, int q, double c, double s) {
        for (int r = 0; r < 3; r++) {
            double mp = m[r * 3 + p];
            double mq = m[r * 3 + q];
            m[r * 3 + p] = c * mp - s * mq;
            m[r * 3 + q] = s * mp + c * mq;
        }
    }
}
