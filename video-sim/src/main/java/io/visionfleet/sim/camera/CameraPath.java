package io.visionfleet.sim.camera;

/**
 * A smooth hand-held-like camera motion through {@link TexturedRoom}: a 3.4 m sideways sweep at 1.5 m height
 * with forward-back (0.5 m) and height (0.35 m) waves, while the camera, looking along world +y, yaws, pitches and
 * rolls by a few degrees. The waves make the path a space curve, so aligning an estimate to it by positions
 * also fixes the rotation about the sweep direction. World axes: x east, y north, z up; gravity is -z.
 */
public final class CameraPath {
    public static final double GRAVITY = 9.80665;
    private static final double SWEEP_M = 3.4;
    private static final double WAVE_FORWARD_M = 0.5;
    private static final double WAVE_HEIGHT_M = 0.35;
    private static final double HEIGHT_M = 1.5;
    private static final double YAW_DEG = 12;
    private static final double PITCH_DEG = 4;
    private static final double ROLL_DEG = 3;
    /** Camera axes (x right, y down, z forward) for a level camera looking north: columns in world coordinates. */
    private static final double[] LEVEL_NORTH = {1, 0, 0, 0, 0, 1, 0, -1, 0};

    private final double duration;

    /** A path traversed in {@code durationSeconds}. */
    public CameraPath(double durationSeconds) {
        if (!(durationSeconds > 0)) {
            throw new IllegalArgumentException("duration must be positive");
        }
        this.duration = durationSeconds;
    }

    public double duration() {
        return duration;
    }

    /** The pose at {@code seconds} from the start. */
    public CameraPose at(double seconds) {
        double s = seconds / duration;
        double[] t = {
                -SWEEP_M / 2 + SWEEP_M * s,
                WAVE_FORWARD_M * Math.sin(2 * Math.PI * s),
                HEIGHT_M + WAVE_HEIGHT_M * Math.sin(3 * Math.PI * s)};
        double yaw = Math.toRadians(YAW_DEG) * Math.sin(3 * Math.PI * s);
        double pitch = Math.toRadians(PITCH_DEG) * Math.sin(4 * Math.PI * s + 0.5);
        double roll = Math.toRadians(ROLL_DEG) * Math.sin(6 * Math.PI * s + 1.0);
        // yaw about world up, then pitch about the camera's right axis, then roll about its optical axis
        double[] r = mul(rotZ(yaw), mul(LEVEL_NORTH, mul(rotX(-pitch), rotZ(roll))));
        return new CameraPose(r, t);
    }

    /** Length of the camera centre's path, integrated numerically. */
    public double length() {
        int steps = 10_000;
        double sum = 0;
        double[] prev = at(0).t();
        for (int i = 1; i <= steps; i++) {
            double[] p = at(duration * i / steps).t();
            sum += Math.sqrt(sq(p[0] - prev[0]) + sq(p[1] - prev[1]) + sq(p[2] - prev[2]));
            prev = p;
        }
        return sum;
    }

    /** The ideal IMU reading at {@code seconds}, by central differences of the path. */
    public ImuSample imu(double seconds) {
        double h = 1e-3;
        CameraPose before = at(seconds - h);
        CameraPose now = at(seconds);
        CameraPose after = at(seconds + h);
        // R^T dR/dt is the skew matrix of the body angular velocity
        double[] d = mul(transpose(now.r()), sub(after.r(), before.r()));
        double[] gyro = {(d[7] - d[5]) / (4 * h), (d[2] - d[6]) / (4 * h), (d[3] - d[1]) / (4 * h)};
        double[] a = new double[3];
        for (int k = 0; k < 3; k++) {
            a[k] = (after.t()[k] - 2 * now.t()[k] + before.t()[k]) / (h * h);
        }
        a[2] += GRAVITY;
        double[] rt = transpose(now.r());
        double[] accel = {
                rt[0] * a[0] + rt[1] * a[1] + rt[2] * a[2],
                rt[3] * a[0] + rt[4] * a[1] + rt[5] * a[2],
                rt[6] * a[0] + rt[7] * a[1] + rt[8] * a[2]};
        return new ImuSample(seconds, gyro, accel);
    }

    private static double[] rotZ(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[]{c, -s, 0, s, c, 0, 0, 0, 1};
    }

    private static double[] rotX(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[]{1, 0, 0, 0, c, -s, 0, s, c};
    }

    static double[] mul(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                c[r * 3 + col] = a[r * 3] * b[col] + a[r * 3 + 1] * b[3 + col] + a[r * 3 + 2] * b[6 + col];
            }
        }
        return c;
    }

    static double[] transpose(double[] a) {
        return new double[]{a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }

    private static double[] sub(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    private static double sq(double v) {
        return v * v;
    }
}
