package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Windowed bundle adjustment: the poses of the most recent keyframes and the landmarks they see are refined
 * together by Levenberg-Marquardt on the reprojection error (Huber-weighted). The oldest keyframe of the window
 * and every older keyframe that sees those landmarks stay fixed: they anchor position, orientation and scale,
 * which is what keeps the scale of a monocular map from drifting between keyframes. The camera block is solved
 * through the Schur complement, so the cost grows with the landmarks only linearly.
 */
final class LocalBundleAdjustment {
    /** What one run did. */
    record Report(int freeKeyframes, int landmarks, int observations, double initialRmsPx, double finalRmsPx,
                  int rejected) {
    }

    private static final double MIN_DEPTH = 1e-6;

    private final CameraModel camera;
    private final TrackerSettings settings;

    LocalBundleAdjustment(CameraModel camera, TrackerSettings settings) {
        this.camera = camera;
        this.settings = settings;
    }

    /** Refines the latest window of {@code segment}; returns null when there is nothing to refine. */
    Report run(MapSegment segment) {
        List<Keyframe> all = segment.keyframes;
        List<Keyframe> window = all.subList(Math.max(0, all.size() - settings.windowKeyframes()), all.size());
        if (window.size() < 2) {
            return null;
        }
        Problem problem = new Problem(window);
        if (problem.points.length == 0) {
            return null;
        }
        double initial = problem.cost();
        double initialRms = problem.rms();
        double cost = initial;
        double lambda = 1e-4;
        for (int iteration = 0; iteration < settings.baIterations(); iteration++) {
            problem.linearise();
            boolean accepted = false;
            for (int attempt = 0; attempt < 6 && !accepted; attempt++) {
                Problem.Step step = problem.solve(lambda);
                if (step == null) {
                    lambda *= 10;
                    continue;
                }
                Problem.Saved saved = problem.apply(step);
                double next = problem.cost();
                if (next < cost) {
                    accepted = true;
                    lambda = Math.max(lambda / 3, 1e-8);
                    boolean converged = cost - next < 1e-6 * cost;
                    cost = next;
                    if (converged) {
                        iteration = settings.baIterations();
                    }
                } else {
                    problem.restore(saved);
                    lambda *= 5;
                }
            }
            if (!accepted) {
                break;
            }
        }
        problem.writeBack();
        int rejected = rejectOutliers(problem.landmarks, segment);
        return new Report(problem.free.length, problem.points.length, problem.obsPoint.length, initialRms,
                problem.rms(), rejected);
    }

    /** Drops observations that stay far off after optimisation; landmarks left with fewer than two views go bad. */
    private int rejectOutliers(Landmark[] landmarks, MapSegment segment) {
        double limit = 4 * settings.reprojectionPx() * settings.reprojectionPx();
        int rejected = 0;
        for (Landmark lm : landmarks) {
            List<Observation> drop = new ArrayList<>();
            for (Observation o : lm.observations) {
                if (PoseSolver.squaredError(o.keyframe().worldToCamera, lm.position, o.u(), o.v(), camera) > limit) {
                    drop.add(o);
                }
            }
            for (Observation o : drop) {
                lm.observations.remove(o);
                o.keyframe().observations.remove(o);
                rejected++;
            }
            if (lm.observations.size() < 2) {
                lm.bad = true;
                for (Observation o : lm.observations) {
                    o.keyframe().observations.remove(o);
                }
                lm.observations.clear();
            }
        }
        if (rejected > 0) {
            segment.landmarks.removeIf(lm -> lm.bad);
        }
        return rejected;
    }

    /** The parameters, observations and normal equations of one run. */
    private final class Problem {
        final Keyframe[] free;
        final Landmark[] landmarks;
        final double[][] rot;
        final double[][] trans;
        final double[][] points;
        final int[] obsCam;     // index into free, or -1 for a fixed keyframe
        final int[] obsPoint;
        final double[] obsU;
        final double[] obsV;
        final Pose[] obsFixedPose;
        final int[][] pointObs;
        /** Solves the reduced camera system, symmetric positive definite after damping (EJML's Cholesky). */
        final LinearSolverDense<DMatrixRMaj> cholesky;
        // normal equations
        double[] hcc;
        double[] bc;
        double[][] hpp;
        double[][] bp;
        double[][] hcp;

        Problem(List<Keyframe> window) {
            free = window.subList(1, window.size()).toArray(new Keyframe[0]);
            Map<Keyframe, Integer> freeIndex = new IdentityHashMap<>();
            for (int i = 0; i < free.length; i++) {
                freeIndex.put(free[i], i);
            }
            Set<Landmark> local = new LinkedHashSet<>();
            for (Keyframe kf : window) {
                for (Observation o : kf.observations) {
                    if (!o.landmark().bad && o.landmark().observations.size() >= 2) {
                        local.add(o.landmark());
                    }
                }
            }
            cholesky = LinearSolverFactory_DDRM.chol(6 * free.length);
            landmarks = local.toArray(new Landmark[0]);
            rot = new double[free.length][];
            trans = new double[free.length][];
            for (int i = 0; i < free.length; i++) {
                rot[i] = free[i].worldToCamera.r();
                trans[i] = free[i].worldToCamera.t();
            }
            points = new double[landmarks.length][];
            int count = 0;
            for (int p = 0; p < landmarks.length; p++) {
                points[p] = landmarks[p].position.clone();
                count += landmarks[p].observations.size();
            }
            obsCam = new int[count];
            obsPoint = new int[count];
            obsU = new double[count];
            obsV = new double[count];
            obsFixedPose = new Pose[count];
            pointObs = new int[landmarks.length][];
            int k = 0;
            for (int p = 0; p < landmarks.length; p++) {
                List<Observation> obs = landmarks[p].observations;
                pointObs[p] = new int[obs.size()];
                for (int j = 0; j < obs.size(); j++) {
                    Observation o = obs.get(j);
                    Integer c = freeIndex.get(o.keyframe());
                    obsCam[k] = c == null ? -1 : c;
                    obsFixedPose[k] = c == null ? o.keyframe().worldToCamera : null;
                    obsPoint[k] = p;
                    obsU[k] = o.u();
                    obsV[k] = o.v();
                    pointObs[p][j] = k;
                    k++;
                }
            }
        }

        /** Camera-frame position of the point of observation {@code k}, or null behind the camera. */
        private double[] inCamera(int k) {
            double[] x = points[obsPoint[k]];
            double[] r;
            double[] t;
            if (obsCam[k] >= 0) {
                r = rot[obsCam[k]];
                t = trans[obsCam[k]];
            } else {
                Pose fixed = obsFixedPose[k];
                r = fixed.r();
                t = fixed.t();
            }
            double[] xc = Mat3.add(Mat3.apply(r, x), t);
            return xc[2] > MIN_DEPTH ? xc : null;
        }

        double cost() {
            double delta = settings.reprojectionPx();
            double sum = 0;
            for (int k = 0; k < obsPoint.length; k++) {
                double e = error(k);
                sum += e <= delta ? e * e : 2 * delta * e - delta * delta;
            }
            return sum;
        }

        double rms() {
            double sum = 0;
            int n = 0;
            for (int k = 0; k < obsPoint.length; k++) {
                double e = error(k);
                if (Double.isFinite(e)) {
                    sum += e * e;
                    n++;
                }
            }
            return n == 0 ? 0 : Math.sqrt(sum / n);
        }

        /** Reprojection error of observation {@code k} in pixels; a large constant behind the camera. */
        private double error(int k) {
            double[] xc = inCamera(k);
            if (xc == null) {
                return 100 * settings.reprojectionPx();
            }
            double du = camera.fx() * xc[0] / xc[2] + camera.cx() - obsU[k];
            double dv = camera.fy() * xc[1] / xc[2] + camera.cy() - obsV[k];
            return Math.sqrt(du * du + dv * dv);
        }

        void linearise() {
            int n = 6 * free.length;
            hcc = new double[n * n];
            bc = new double[n];
            hpp = new double[points.length][9];
            bp = new double[points.length][3];
            hcp = new double[obsPoint.length][];
            double delta = settings.reprojectionPx();
            for (int k = 0; k < obsPoint.length; k++) {
                double[] xc = inCamera(k);
                if (xc == null) {
                    continue;
                }
                double z = xc[2];
                double ru = camera.fx() * xc[0] / z + camera.cx() - obsU[k];
                double rv = camera.fy() * xc[1] / z + camera.cy() - obsV[k];
                double e = Math.sqrt(ru * ru + rv * rv);
                double w = e <= delta ? 1 : delta / e;
                // d(projection)/d(camera point)
                double[] jpi = {camera.fx() / z, 0, -camera.fx() * xc[0] / (z * z),
                        0, camera.fy() / z, -camera.fy() * xc[1] / (z * z)};
                int p = obsPoint[k];
                double[] r = obsCam[k] >= 0 ? rot[obsCam[k]] : obsFixedPose[k].r();
                double[] jp = mul2x3by3x3(jpi, r);
                addAtA(hpp[p], jp, 3, w);
                subAtr(bp[p], jp, 3, ru, rv, w);
                int c = obsCam[k];
                if (c >= 0) {
                    // left perturbation: d(xc) = -[xc]x dw + dv
                    double[] skew = Mat3.skew(xc);
                    double[] jc = new double[12];
                    for (int row = 0; row < 2; row++) {
                        for (int col = 0; col < 3; col++) {
                            double s = 0;
                            for (int m = 0; m < 3; m++) {
                                s -= jpi[row * 3 + m] * skew[m * 3 + col];
                            }
                            jc[row * 6 + col] = s;
                            jc[row * 6 + 3 + col] = jpi[row * 3 + col];
                        }
                    }
                    double[] block = new double[36];
                    addAtA(block, jc, 6, w);
                    for (int a = 0; a < 6; a++) {
                        for (int b = 0; b < 6; b++) {
                            hcc[(6 * c + a) * n + 6 * c + b] += block[a * 6 + b];
                        }
                    }
                    double[] g = new double[6];
                    subAtr(g, jc, 6, ru, rv, w);
                    for (int a = 0; a < 6; a++) {
                        bc[6 * c + a] += g[a];
                    }
                    double[] cross = new double[18];
                    for (int a = 0; a < 6; a++) {
                        for (int b = 0; b < 3; b++) {
                            cross[a * 3 + b] = w * (jc[a] * jp[b] + jc[6 + a] * jp[3 + b]);
                        }
                    }
                    hcp[k] = cross;
                }
            }
        }

        /** An update of every parameter: 6 per free keyframe (rotation, translation), 3 per landmark. */
        record Step(double[] cams, double[][] pts) {
        }

        /** Parameters before a step, to undo it when it raised the cost. */
        record Saved(double[][] rot, double[][] trans, double[][] points) {
        }

        Step solve(double lambda) {
            int n = 6 * free.length;
            double[] s = hcc.clone();
            double[] rhs = bc.clone();
            for (int i = 0; i < n; i++) {
                s[i * n + i] = s[i * n + i] * (1 + lambda) + 1e-9;
            }
            double[][] inv = new double[points.length][];
            for (int p = 0; p < points.length; p++) {
                double[] h = hpp[p].clone();
                for (int i = 0; i < 3; i++) {
                    h[i * 4] = h[i * 4] * (1 + lambda) + 1e-9;
                }
                double det = Mat3.det(h);
                if (!(Math.abs(det) > 1e-18)) {
                    continue;
                }
                inv[p] = inverse3(h, det);
                for (int k1 : pointObs[p]) {
                    if (hcp[k1] == null) {
                        continue;
                    }
                    double[] a = mul6x3by3x3(hcp[k1], inv[p]);
                    int c1 = obsCam[k1];
                    for (int row = 0; row < 6; row++) {
                        rhs[6 * c1 + row] -= a[row * 3] * bp[p][0] + a[row * 3 + 1] * bp[p][1] + a[row * 3 + 2] * bp[p][2];
                    }
                    for (int k2 : pointObs[p]) {
                        if (hcp[k2] == null) {
                            continue;
                        }
                        int c2 = obsCam[k2];
                        double[] b = hcp[k2];
                        for (int row = 0; row < 6; row++) {
                            for (int col = 0; col < 6; col++) {
                                s[(6 * c1 + row) * n + 6 * c2 + col] -= a[row * 3] * b[col * 3]
                                        + a[row * 3 + 1] * b[col * 3 + 1] + a[row * 3 + 2] * b[col * 3 + 2];
                            }
                        }
                    }
                }
            }
            if (!cholesky.setA(DMatrixRMaj.wrap(n, n, s))) { // not positive definite: the caller raises lambda
                return null;
            }
            DMatrixRMaj solution = new DMatrixRMaj(n, 1);
            cholesky.solve(DMatrixRMaj.wrap(n, 1, rhs), solution);
            double[] dc = solution.data;
            double[][] dp = new double[points.length][];
            for (int p = 0; p < points.length; p++) {
                if (inv[p] == null) {
                    continue;
                }
                double[] g = bp[p].clone();
                for (int k : pointObs[p]) {
                    if (hcp[k] == null) {
                        continue;
                    }
                    int c = obsCam[k];
                    for (int col = 0; col < 3; col++) {
                        double sum = 0;
                        for (int row = 0; row < 6; row++) {
                            sum += hcp[k][row * 3 + col] * dc[6 * c + row];
                        }
                        g[col] -= sum;
                    }
                }
                dp[p] = Mat3.apply(inv[p], g);
            }
            return new Step(dc, dp);
        }

        Saved apply(Step step) {
            double[][] oldRot = new double[free.length][];
            double[][] oldTrans = new double[free.length][];
            double[][] oldPts = new double[points.length][];
            for (int c = 0; c < free.length; c++) {
                oldRot[c] = rot[c];
                oldTrans[c] = trans[c];
                double[] w = {step.cams()[6 * c], step.cams()[6 * c + 1], step.cams()[6 * c + 2]};
                double[] v = {step.cams()[6 * c + 3], step.cams()[6 * c + 4], step.cams()[6 * c + 5]};
                double[] dr = Mat3.exp(w);
                rot[c] = Mat3.mul(dr, rot[c]);
                trans[c] = Mat3.add(Mat3.apply(dr, trans[c]), v);
            }
            for (int p = 0; p < points.length; p++) {
                oldPts[p] = points[p];
                if (step.pts()[p] != null) {
                    points[p] = Mat3.add(points[p], step.pts()[p]);
                }
            }
            return new Saved(oldRot, oldTrans, oldPts);
        }

        void restore(Saved saved) {
            System.arraycopy(saved.rot(), 0, rot, 0, rot.length);
            System.arraycopy(saved.trans(), 0, trans, 0, trans.length);
            System.arraycopy(saved.points(), 0, points, 0, points.length);
        }

        void writeBack() {
            for (int c = 0; c < free.length; c++) {
                free[c].worldToCamera = new Pose(Mat3.orthonormalize(rot[c]), trans[c]);
            }
            for (int p = 0; p < points.length; p++) {
                landmarks[p].position = points[p];
            }
        }
    }

    private static double[] mul2x3by3x3(double[] a, double[] b) {
        double[] c = new double[6];
        for (int r = 0; r < 2; r++) {
            for (int col = 0; col < 3; col++) {
                c[r * 3 + col] = a[r * 3] * b[col] + a[r * 3 + 1] * b[3 + col] + a[r * 3 + 2] * b[6 + col];
            }
        }
        return c;
    }

    private static double[] mul6x3by3x3(double[] a, double[] b) {
        double[] c = new double[18];
        for (int r = 0; r < 6; r++) {
            for (int col = 0; col < 3; col++) {
                c[r * 3 + col] = a[r * 3] * b[col] + a[r * 3 + 1] * b[3 + col] + a[r * 3 + 2] * b[6 + col];
            }
        }
        return c;
    }

    /** {@code h += w J^T J} for a 2 x {@code cols} Jacobian J. */
    private static void addAtA(double[] h, double[] j, int cols, double w) {
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                h[a * cols + b] += w * (j[a] * j[b] + j[cols + a] * j[cols + b]);
            }
        }
    }

    /** {@code g -= w J^T r} for a 2 x {@code cols} Jacobian J and residual (ru, rv). */
    private static void subAtr(double[] g, double[] j, int cols, double ru, double rv, double w) {
        for (int a = 0; a < cols; a++) {
            g[a] -= w * (j[a] * ru + j[cols + a] * rv);
        }
    }

    private static double[] inverse3(double[] m, double det) {
        return new double[]{
                (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
                (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
                (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
    }
}
