package io.visionfleet.frameprocessor.track;

import java.util.Arrays;

/**
 * Minimum-cost assignment (Hungarian method with potentials, O(n^2 m)) of a rectangular cost matrix: each row gets
 * at most one column and each column at most one row, as many pairs as the smaller side allows.
 */
public final class Hungarian {
    private Hungarian() {
    }

    /** For each row the column assigned to it, or -1. {@code cost} is rows x columns, all rows the same length. */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        if (rows == 0) {
            return new int[0];
        }
        int cols = cost[0].length;
        if (cols == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, -1);
            return none;
        }
        if (rows > cols) {
            int[] byCol = solve(transpose(cost));
            int[] byRow = new int[rows];
            Arrays.fill(byRow, -1);
            for (int c = 0; c < cols; c++) {
                if (byCol[c] >= 0) {
                    byRow[byCol[c]] = c;
                }
            }
            return byRow;
        }
        // 1-based arrays: u, v are the row and column potentials, match[c] the row matched to column c
        double[] u = new double[rows + 1];
        double[] v = new double[cols + 1];
        int[] match = new int[cols + 1];
        int[] way = new int[cols + 1];
        for (int r = 1; r <= rows; r++) {
            match[0] = r;
            int c0 = 0;
            double[] minv = new double[cols + 1];
            boolean[] used = new boolean[cols + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            do {
                used[c0] = true;
                int r0 = match[c0];
                double delta = Double.POSITIVE_INFINITY;
                int c1 = 0;
                for (int c = 1; c <= cols; c++) {
                    if (!used[c]) {
                        double cur = cost[r0 - 1][c - 1] - u[r0] - v[c];
                        if (cur < minv[c]) {
                            minv[c] = cur;
                            way[c] = c0;
                        }
                        if (minv[c] < delta) {
                            delta = minv[c];
                            c1 = c;
                        }
                    }
                }
                for (int c = 0; c <= cols; c++) {
                    if (used[c]) {
                        u[match[c]] += delta;
                        v[c] -= delta;
                    } else {
                        minv[c] -= delta;
                    }
                }
                c0 = c1;
            } while (match[c0] != 0);
            do {
                int c1 = way[c0];
                match[c0] = match[c1];
                c0 = c1;
            } while (c0 != 0);
        }
        int[] result = new int[rows];
        Arrays.fill(result, -1);
        for (int c = 1; c <= cols; c++) {
            if (match[c] != 0) {
                result[match[c] - 1] = c - 1;
            }
        }
        return result;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }
}
