package io.visionfleet.ptz.control;

import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;

/**
 * Turns an aim into normalised pan/tilt/zoom speeds. The error is the aim's bearing minus the camera's, predicted to
 * when the command acts (the target moves on by its velocity over now − capture + actuation delay, the camera by the
 * speed last sent over the delay). Per axis: dead-zone, PID with anti-windup, the target's velocity fed forward, EMA.
 * Zoom keeps the aim's height in the band, and widens the view when the aim nears the edge.
 */
final class SteeringLoop {
    /** Beyond this share of the half-frame the target risks leaving the picture: zoom out. */
    static final double EDGE_ZOOM_OUT = 0.6;

    private final PtzConfig.Control control;
    private final DelayCalibration calibration;
    private final Pid panPid;
    private final Pid tiltPid;
    private final Ema panEma;
    private final Ema tiltEma;

    SteeringLoop(PtzConfig.Control control, DelayCalibration calibration) {
        this.control = control;
        this.calibration = calibration;
        this.panPid = new Pid(control.kp(), control.ki(), control.kd(), control.maxPanSpeed());
        this.tiltPid = new Pid(control.kp(), control.ki(), control.kd(), control.maxTiltSpeed());
        this.panEma = new Ema(control.emaAlpha());
        this.tiltEma = new Ema(control.emaAlpha());
    }

    /**
     * @param status    the camera now
     * @param captureTs capture time of the frame the aim comes from
     * @param sent      the speeds last sent (pan, tilt, zoom; normalised)
     * @param dt        seconds between the last two frames
     * @return normalised speeds {pan, tilt, zoom}
     */
    double[] speeds(Aim aim, PtzStatus status, long captureTs, long now, double[] sent, double dt, Optics optics) {
        double zoom = status.zoom();
        double halfHfov = optics.hfovDeg(zoom) / 2;
        double halfVfov = optics.vfovDeg(zoom) / 2;
        double panFf = Math.abs(aim.panRate()) > control.stationarySpeed() ? aim.panRate() : 0;
        double tiltFf = Math.abs(aim.tiltRate()) > control.stationarySpeed() ? aim.tiltRate() : 0;
        // the error when this command acts: the target moved on since capture and moves during the actuation delay,
        // the camera keeps its current speed over the delay
        double now2capture = Math.max(0, (now - captureTs) / 1000.0);
        double panNow = aim.panDeg() - status.panDeg();
        double tiltNow = aim.tiltDeg() - status.tiltDeg();
        double delay = calibration.delaySeconds(Math.hypot(panNow, tiltNow));
        double panErr = panNow + panFf * (now2capture + delay) - sent[0] * control.maxPanSpeed() * delay;
        double tiltErr = tiltNow + tiltFf * (now2capture + delay) - sent[1] * control.maxTiltSpeed() * delay;
        double panRate = axis(panPid, panEma, panErr, halfHfov, panFf, control.maxPanSpeed(), dt);
        double tiltRate = axis(tiltPid, tiltEma, tiltErr, halfVfov, tiltFf, control.maxTiltSpeed(), dt);
        double zoomSpeed = zoomSpeed(aim.heightFraction(), panNow / halfHfov, tiltNow / halfVfov);
        return new double[]{panRate / control.maxPanSpeed(), tiltRate / control.maxTiltSpeed(), zoomSpeed};
    }

    /** Forgets the PIDs' integrals and the EMAs' state: the next aim starts afresh. */
    void reset() {
        panPid.reset();
        tiltPid.reset();
        panEma.reset();
        tiltEma.reset();
    }

    private double axis(Pid pid, Ema ema, double errorDeg, double halfFovDeg, double feedForward, double limit, double dt) {
        DeadZone zone = new DeadZone(control.deadZone() * halfFovDeg);
        double correction;
        if (zone.inside(errorDeg)) {
            pid.hold();
            correction = 0;
        } else {
            correction = pid.update(zone.apply(errorDeg), dt);
        }
        double rate = Math.max(-limit, Math.min(limit, feedForward + correction));
        return ema.update(rate);
    }

    /**
     * Zoom speed keeping {@code heightFraction} in the band, proportional to the log of its ratio to the band's
     * geometric middle; -0.5 when the aim is beyond {@link #EDGE_ZOOM_OUT} of the half-frame on either axis.
     */
    double zoomSpeed(double heightFraction, double panOffset, double tiltOffset) {
        if (Math.max(Math.abs(panOffset), Math.abs(tiltOffset)) > EDGE_ZOOM_OUT) {
            return -0.5;
        }
        double low = control.heightLow();
        double high = control.heightHigh();
        if (heightFraction >= low && heightFraction <= high) {
            return 0;
        }
        double wanted = Math.sqrt(low * high);
        double speed = Math.log(wanted / Math.max(1e-3, heightFraction)) / Math.log(control.maxZoomRate());
        return Math.max(-1, Math.min(1, speed));
    }
}
