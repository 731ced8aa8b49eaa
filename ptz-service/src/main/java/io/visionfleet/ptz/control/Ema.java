package io.visionfleet.ptz.control;

/** Exponential moving average: {@code alpha} is the weight of the newest value (1 passes values through). */
public final class Ema {
    private final double alpha;
    private double value;
    private boolean primed;

    public Ema(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("EMA weight must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    public double update(double x) {
        value = primed ? value + alpha * (x - value) : x;
        primed = true;
        return value;
    }

    public void reset() {
        primed = false;
        value = 0;
    }
}
