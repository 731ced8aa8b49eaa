package io.visionfleet.ptz.control;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.List;

/**
 * The camera's actuation delay as a line {@code intercept + slope * distance}, fitted by least squares to timed moves
 * (distance in degrees, delay in seconds from command to arrival). Until two distinct distances are known it answers the
 * configured default.
 */
public final class DelayCalibration {
    /** A timed move. */
    public record Sample(double distanceDeg, double seconds) {
    }

    /** The fitted line. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Fit(double interceptS, double slopeSPerDeg, int samples) {
    }

    private final double defaultSeconds;
    private final List<Sample> samples = new ArrayList<>();
    private Fit fit;

    public DelayCalibration(double defaultSeconds) {
        this.defaultSeconds = defaultSeconds;
    }

    public synchronized void add(double distanceDeg, double seconds) {
        samples.add(new Sample(Math.abs(distanceDeg), seconds));
        fit = fitOf(samples);
    }

    /** Predicted delay of a move of {@code distanceDeg}, seconds. */
    public synchronized double delaySeconds(double distanceDeg) {
        if (fit == null) {
            return defaultSeconds;
        }
        return Math.max(0, fit.interceptS() + fit.slopeSPerDeg() * Math.abs(distanceDeg));
    }

    /** The current fit, or null before two distinct distances were timed. */
    public synchronized Fit fit() {
        return fit;
    }

    static Fit fitOf(List<Sample> samples) {
        int n = samples.size();
        double sx = 0;
        double sy = 0;
        for (Sample s : samples) {
            sx += s.distanceDeg();
            sy += s.seconds();
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (Sample s : samples) {
            sxx += (s.distanceDeg() - mx) * (s.distanceDeg() - mx);
            sxy += (s.distanceDeg() - mx) * (s.seconds() - my);
        }
        if (n < 2 || sxx < 1e-9) {
            return null;
        }
        double slope = sxy / sxx;
        return new Fit(my - slope * mx, slope, n);
    }
}
