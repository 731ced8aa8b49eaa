package io.visionfleet.ptz.control;

import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Measures the actuation delay the way it matters to the loop: absolute pan moves of several distances, each timed from
 * the command until the camera reports it arrived and stopped, then fitted as {@code intercept + slope * distance}
 * into the camera's {@link DelayCalibration}. Moves alternate direction around the start position and end there.
 */
public final class ActuationCalibrator {
    /** The distances timed, degrees; each once each way. */
    static final double[] DISTANCES = {2, 5, 10, 20, 40};
    private static final long POLL_MS = 10;
    private static final long MOVE_TIMEOUT_MS = 20_000;
    private static final double ARRIVED_DEG = 0.2;

    private final LongSupplier clockMs;
    private final LongConsumer sleepMs;

    /** @param sleepMs waits that many milliseconds (tests advance a simulated clock instead) */
    public ActuationCalibrator(LongSupplier clockMs, LongConsumer sleepMs) {
        this.clockMs = clockMs;
        this.sleepMs = sleepMs;
    }

    public DelayCalibration.Fit calibrate(PtzDriver driver, DelayCalibration into) {
        PtzStatus start = driver.status();
        double lo = driver.capabilities().panMin();
        double hi = driver.capabilities().panMax();
        for (double d : DISTANCES) {
            for (int sign : new int[]{1, -1}) {
                double from = driver.status().panDeg();
                double to = Math.max(lo, Math.min(hi, from + sign * d));
                if (Math.abs(to - from) < d / 2) {
                    to = Math.max(lo, Math.min(hi, from - sign * d)); // at a limit: the other way
                }
                into.add(to - from, timedMove(driver, to, start) / 1000.0);
            }
        }
        driver.moveTo(start.panDeg(), start.tiltDeg(), start.zoom());
        return into.fit();
    }

    private long timedMove(PtzDriver driver, double pan, PtzStatus start) {
        long t0 = clockMs.getAsLong();
        driver.moveTo(pan, start.tiltDeg(), start.zoom());
        while (clockMs.getAsLong() - t0 < MOVE_TIMEOUT_MS) {
            sleepMs.accept(POLL_MS);
            PtzStatus s = driver.status();
            if (!s.moving() && Math.abs(s.panDeg() - pan) < ARRIVED_DEG) {
                return clockMs.getAsLong() - t0;
            }
        }
        throw new PtzException("camera did not reach pan " + pan + " within " + MOVE_TIMEOUT_MS / 1000 + " s");
    }
}
