package io.visionfleet.slam.geometry;

/** 3x3 matrices as row-major {@code double[9]} and 3-vectors as {@code double[3]}; every operation returns a new array. */
public final class Mat3 {
    private Mat3() {
    }

    public static double[] identity() {
        return new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    public static double[] mul(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double v = a[r * 3 + k];
                c[r * 3] += v * b[k * 3];
                c[r * 3 + 1] += v * b[k * 3 + 1];
                c[r * 3 + 2] += v * b[k * 3 + 2];
            }
        }
        return c;
    }

    public static double[] transpose(double[] a) {
        return new double[]{a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }

    public static double[] apply(double[] m, double[] v) {
        return new double[]{
                m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
                m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
                m[6] * v[0] + m[7] * v[1] + m[8] * v[2]};
    }

    public static double det(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    public static double trace(double[] m) {
        return m[0] + m[4] + m[8];
    }

    /** The rotation by angle |w| about axis w (Rodrigues). */
    public static double[] exp(double[] w) {
        double theta = norm(w);
        double[] k = skew(w);
        double[] r = identity();
        double a;
        double b;
        if (theta < 1e-8) {
            a = 1 - theta * theta / 6;
            b = 0.5 - theta * theta / 24;
        } else {
            a = Math.sin(theta) / theta;
            b = (1 - Math.cos(theta)) / (theta * theta);
        }
        double[] k2 = mul(k, k);
        for (int i = 0; i < 9; i++) {
            r[i] += a * k[i] + b * k2[i];
        }
        return r;
    }

    /** The rotation vector of rotation {@code r}: the inverse of {@link #exp}. */
    public static double[] log(double[] r) {
        double cos = Math.max(-1, Math.min(1, (trace(r) - 1) / 2));
        double theta = Math.acos(cos);
        double[] v = {r[7] - r[5], r[2] - r[6], r[3] - r[1]};
        if (theta < 1e-8) {
            return new double[]{v[0] / 2, v[1] / 2, v[2] / 2};
        }
        if (Math.PI - theta < 1e-6) {
            // sin(theta) vanishes: take the axis from the diagonal of (R + I) / 2 = axis axis^T
            int i = r[0] >= r[4] && r[0] >= r[8] ? 0 : (r[4] >= r[8] ? 1 : 2);
            double[] axis = new double[3];
            axis[i] = Math.sqrt(Math.max(0, (r[i * 4] + 1) / 2));
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    axis[j] = (r[i * 3 + j] + r[j * 3 + i]) / (4 * axis[i]);
                }
            }
            return new double[]{axis[0] * theta, axis[1] * theta, axis[2] * theta};
        }
        double f = theta / (2 * Math.sin(theta));
        return new double[]{v[0] * f, v[1] * f, v[2] * f};
    }

    /** Angle of rotation {@code r} in radians. */
    public static double angle(double[] r) {
        return Math.acos(Math.max(-1, Math.min(1, (trace(r) - 1) / 2)));
    }

    public static double[] skew(double[] w) {
        return new double[]{0, -w[2], w[1], w[2], 0, -w[0], -w[1], w[0], 0};
    }

    public static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    public static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    public static double[] cross(double[] a, double[] b) {
        return new double[]{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    public static double[] add(double[] a, double[] b) {
        return new double[]{a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    public static double[] sub(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    public static double[] times(double[] v, double s) {
        return new double[]{v[0] * s, v[1] * s, v[2] * s};
    }

    /** The rotation closest to {@code m} in the Frobenius norm, removing drift from repeated products. */
    public static double[] orthonormalize(double[] m) {
        Svd3 svd = Svd3.of(m);
        double[] r = mul(svd.u(), transpose(svd.v()));
        if (det(r) < 0) {
            double[] u = svd.u().clone();
            u[2] = -u[2];
            u[5] = -u[5];
            u[8] = -u[8];
            r = mul(u, transpose(svd.v()));
        }
        return r;
    }
}
