package io.visionfleet.ptz.sim;

import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzStatus;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The motors of a virtual PTZ camera: commands act after a fixed latency, pan and tilt turn at most at their full
 * speed, zoom changes by at most a factor per second, and positions stay inside the limits. The state is integrated
 * lazily up to the clock's present on every call, so a test can drive it with a clock it steps itself.
 */
public final class SimulatedPtz implements PtzDriver {
    /** Motor limits and latency. */
    public record Motors(double maxPanSpeed, double maxTiltSpeed, double maxZoomRate, long latencyNanos) {
    }

    private sealed interface Command permits Velocity, Target {
    }

    private record Velocity(double pan, double tilt, double zoom) implements Command {
    }

    private record Target(double pan, double tilt, double zoom) implements Command {
    }

    private record Pending(long atNanos, Command command) {
    }

    private static final double ARRIVED_DEG = 0.05;
    private static final double ARRIVED_ZOOM = 0.005;

    private final PtzCapabilities caps;
    private final Motors motors;
    private final LongSupplier nanoClock;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Map<Integer, double[]> presets = new HashMap<>();
    private long now;
    private double pan;
    private double tilt;
    private double zoom;
    private Command active = new Velocity(0, 0, 0);

    public SimulatedPtz(PtzCapabilities caps, Motors motors, double[] home, LongSupplier nanoClock) {
        this.caps = caps;
        this.motors = motors;
        this.nanoClock = nanoClock;
        this.now = nanoClock.getAsLong();
        this.pan = caps.clampPan(home[0]);
        this.tilt = caps.clampTilt(home[1]);
        this.zoom = caps.clampZoom(home[2]);
        presets.put(1, new double[]{pan, tilt, zoom});
    }

    @Override
    public synchronized void moveRelative(double panSpeed, double tiltSpeed, double zoomSpeed) {
        schedule(new Velocity(unit(panSpeed), unit(tiltSpeed), unit(zoomSpeed)));
    }

    @Override
    public synchronized void moveFor(double panSpeed, double tiltSpeed, double zoomSpeed, long durationMs) {
        moveRelative(panSpeed, tiltSpeed, zoomSpeed);
        Pending move = pending.peekLast();
        pending.add(new Pending(move.atNanos() + Math.max(0, durationMs) * 1_000_000, new Velocity(0, 0, 0)));
    }

    @Override
    public synchronized void moveTo(double panDeg, double tiltDeg, double zoomFactor) {
        schedule(new Target(caps.clampPan(panDeg), caps.clampTilt(tiltDeg), caps.clampZoom(zoomFactor)));
    }

    @Override
    public synchronized void goPreset(int n) {
        double[] p = presets.get(n);
        if (p == null) {
            throw new IllegalArgumentException("preset " + n + " is not set");
        }
        moveTo(p[0], p[1], p[2]);
    }

    @Override
    public synchronized void setPreset(int n) {
        if (n < 1 || n > caps.presets()) {
            throw new IllegalArgumentException("preset must be in 1.." + caps.presets() + ", got " + n);
        }
        integrate();
        presets.put(n, new double[]{pan, tilt, zoom});
    }

    @Override
    public synchronized void stop() {
        schedule(new Velocity(0, 0, 0));
    }

    @Override
    public synchronized PtzStatus status() {
        integrate();
        return new PtzStatus(pan, tilt, zoom, isMoving());
    }

    @Override
    public PtzCapabilities capabilities() {
        return caps;
    }

    private void schedule(Command command) {
        integrate();
        pending.add(new Pending(now + motors.latencyNanos(), command));
    }

    private void integrate() {
        long target = nanoClock.getAsLong();
        while (true) {
            Pending next = pending.peek();
            boolean due = next != null && next.atNanos() <= target;
            long until = due ? Math.max(now, next.atNanos()) : target;
            advance((until - now) / 1e9);
            now = Math.max(now, until);
            if (!due) {
                return;
            }
            active = pending.poll().command();
        }
    }

    private void advance(double dt) {
        if (dt <= 0) {
            return;
        }
        if (active instanceof Velocity v) {
            pan = caps.clampPan(pan + v.pan() * motors.maxPanSpeed() * dt);
            tilt = caps.clampTilt(tilt + v.tilt() * motors.maxTiltSpeed() * dt);
            zoom = caps.clampZoom(zoom * Math.pow(motors.maxZoomRate(), v.zoom() * dt));
        } else if (active instanceof Target t) {
            pan = approach(pan, t.pan(), motors.maxPanSpeed() * dt);
            tilt = approach(tilt, t.tilt(), motors.maxTiltSpeed() * dt);
            double logStep = Math.log(motors.maxZoomRate()) * dt;
            zoom = Math.exp(approach(Math.log(zoom), Math.log(t.zoom()), logStep));
        }
    }

    private boolean isMoving() {
        if (!pending.isEmpty()) {
            return true;
        }
        if (active instanceof Target t) {
            return Math.abs(pan - t.pan()) > ARRIVED_DEG || Math.abs(tilt - t.tilt()) > ARRIVED_DEG
                    || Math.abs(zoom - t.zoom()) > ARRIVED_ZOOM * zoom;
        }
        Velocity v = (Velocity) active;
        return (v.pan() != 0 && pan > caps.panMin() && pan < caps.panMax())
                || (v.tilt() != 0 && tilt > caps.tiltMin() && tilt < caps.tiltMax())
                || (v.zoom() != 0 && zoom > caps.zoomMin() && zoom < caps.zoomMax());
    }

    private static double approach(double from, double to, double step) {
        double d = to - from;
        return Math.abs(d) <= step ? to : from + Math.signum(d) * step;
    }

    private static double unit(double speed) {
        if (Double.isNaN(speed)) {
            throw new IllegalArgumentException("speed must be a number");
        }
        return Math.max(-1, Math.min(1, speed));
    }
}
