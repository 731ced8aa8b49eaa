package io.visionfleet.ptz.control;

/**
 * A PID controller whose output is clamped to +-{@code limit}, with anti-windup by conditional integration: the integral
 * does not grow while the output is saturated in the direction the error pushes, so it never has to unwind after a
 * long saturation (the cause of overshoot when a fast target stops).
 */
public final class Pid {
    private final double kp;
    private final double ki;
    private final double kd;
    private final double limit;
    private double integral;
    private double previousError;
    private boolean primed;

    public Pid(double kp, double ki, double kd, double limit) {
        if (kp < 0 || ki < 0 || kd < 0 || !(limit > 0)) {
            throw new IllegalArgumentException("PID gains must be >= 0 and the limit > 0");
        }
        this.kp = kp;
        this.ki = ki;
        this.kd = kd;
        this.limit = limit;
    }

    /** One step: {@code error} now, {@code dt} seconds since the previous step; returns the clamped output. */
    public double update(double error, double dt) {
        double derivative = primed && dt > 0 ? (error - previousError) / dt : 0;
        previousError = error;
        primed = true;
        double candidate = integral + error * dt;
        double unclamped = kp * error + ki * candidate + kd * derivative;
        boolean saturatedSameWay = Math.abs(unclamped) > limit && Math.signum(unclamped) == Math.signum(error);
        if (!saturatedSameWay) {
            integral = candidate;
        }
        double output = kp * error + ki * integral + kd * derivative;
        return Math.max(-limit, Math.min(limit, output));
    }

    /** Holds the state while the error is inside the dead-zone: the integral keeps, the derivative restarts. */
    public void hold() {
        primed = false;
    }

    public void reset() {
        integral = 0;
        previousError = 0;
        primed = false;
    }

    double integral() {
        return integral;
    }
}
