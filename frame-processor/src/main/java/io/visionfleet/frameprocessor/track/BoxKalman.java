package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.geom.Box;

/**
 * Constant-velocity Kalman filter of a box (centre x, centre y, width, height, and their velocities) with ByteTrack's
 * noise model: standard deviations proportional to the box size (1/20 of it for positions, 1/160 for velocities).
 * With those diagonal noise matrices the 8-state filter falls apart into four independent position/velocity filters,
 * one per coordinate, which is what this computes: the same estimates as the full matrix form, in plain arithmetic.
 */
final class BoxKalman {
    private static final double POSITION_STD = 1.0 / 20;
    private static final double VELOCITY_STD = 1.0 / 160;

    /** Per coordinate (cx, cy, w, h): position, velocity and the covariance entries p00, p01, p11. */
    private final double[] pos = new double[4];
    private final double[] vel = new double[4];
    private final double[] p00 = new double[4];
    private final double[] p01 = new double[4];
    private final double[] p11 = new double[4];

    BoxKalman(Box box) {
        reset(box);
    }

    /** Starts over at {@code box}, at rest. */
    void reset(Box box) {
        double[] z = measurement(box);
        for (int i = 0; i < 4; i++) {
            double s = scale(i, box);
            pos[i] = z[i];
            vel[i] = 0;
            p00[i] = sq(2 * POSITION_STD * s);
            p01[i] = 0;
            p11[i] = sq(10 * VELOCITY_STD * s);
        }
    }

    void predict() {
        Box current = box();
        for (int i = 0; i < 4; i++) {
            double s = scale(i, current);
            pos[i] += vel[i];
            p00[i] += 2 * p01[i] + p11[i] + sq(POSITION_STD * s);
            p01[i] += p11[i];
            p11[i] += sq(VELOCITY_STD * s);
        }
        pos[2] = Math.max(1, pos[2]);
        pos[3] = Math.max(1, pos[3]);
    }

    void update(Box box) {
        double[] z = measurement(box);
        for (int i = 0; i < 4; i++) {
            double r = sq(POSITION_STD * scale(i, box));
            double s = p00[i] + r;
            double k0 = p00[i] / s;
            double k1 = p01[i] / s;
            double innovation = z[i] - pos[i];
            pos[i] += k0 * innovation;
            vel[i] += k1 * innovation;
            double q00 = (1 - k0) * p00[i];
            double q01 = (1 - k0) * p01[i];
            p11[i] -= k1 * p01[i];
            p00[i] = q00;
            p01[i] = q01;
        }
    }

    /** Stops the size from drifting while the box is not observed (ByteTrack does the same for lost tracks). */
    void freezeSize() {
        vel[2] = 0;
        vel[3] = 0;
    }

    /**
     * Moves the estimate with the camera: {@code h} (3x3, row-major) maps last frame's pixels to this frame's. The
     * centre goes through the homography, sizes and velocities through its local linear part.
     */
    void warp(double[] h) {
        double[] centre = Homography.map(h, pos[0], pos[1]);
        double w = centre[2];
        double zoom = Math.sqrt(Math.abs(h[0] * h[4] - h[1] * h[3])) / w;
        double vx = vel[0];
        double vy = vel[1];
        pos[0] = centre[0];
        pos[1] = centre[1];
        vel[0] = (h[0] * vx + h[1] * vy) / w;
        vel[1] = (h[3] * vx + h[4] * vy) / w;
        pos[2] *= zoom;
        pos[3] *= zoom;
    }

    Box box() {
        return Box.ofCentre(pos[0], pos[1], pos[2], pos[3]);
    }

    private static double[] measurement(Box b) {
        return new double[]{b.centreX(), b.centreY(), b.width(), b.height()};
    }

    /** x-like coordinates scale with the width, y-like with the height. */
    private static double scale(int i, Box b) {
        return i % 2 == 0 ? Math.max(1, b.width()) : Math.max(1, b.height());
    }

    private static double sq(double v) {
        return v * v;
    }
}
