package io.visionfleet.ptz.control;

/**
 * Constant-velocity Kalman filter on one coordinate (an angle in degrees): state position and velocity, a white
 * acceleration process noise and a measurement noise. Its velocity leads the camera by the actuation delay.
 */
public final class VelocityKalman {
    private final double accelNoise;
    private final double measurementNoise;
    private double x;
    private double v;
    private double p00;
    private double p01;
    private double p11;
    private boolean primed;

    /**
     * @param accelNoise       standard deviation of the target's acceleration, units/s^2
     * @param measurementNoise standard deviation of a measured position, units
     */
    public VelocityKalman(double accelNoise, double measurementNoise) {
        this.accelNoise = accelNoise;
        this.measurementNoise = measurementNoise;
    }

    /** Folds in a measurement {@code z} taken {@code dt} seconds after the previous one. */
    public void update(double z, double dt) {
        if (!primed) {
            x = z;
            v = 0;
            p00 = measurementNoise * measurementNoise;
            p01 = 0;
            p11 = 100;
            primed = true;
            return;
        }
        // predict
        x += v * dt;
        double q = accelNoise * accelNoise;
        double dt2 = dt * dt;
        double n00 = p00 + 2 * dt * p01 + dt2 * p11 + q * dt2 * dt2 / 4;
        double n01 = p01 + dt * p11 + q * dt2 * dt / 2;
        double n11 = p11 + q * dt2;
        // correct
        double s = n00 + measurementNoise * measurementNoise;
        double k0 = n00 / s;
        double k1 = n01 / s;
        double innovation = z - x;
        x += k0 * innovation;
        v += k1 * innovation;
        p00 = (1 - k0) * n00;
        p01 = (1 - k0) * n01;
        p11 = n11 - k1 * n01;
    }

    public double position() {
        return x;
    }

    public double velocity() {
        return v;
    }

    /** Where the target will be {@code seconds} from the last measurement. */
    public double predict(double seconds) {
        return x + v * seconds;
    }
}
