package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.driver.PtzUnreachableException;
import io.visionfleet.ptz.driver.StatusCache;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static io.visionfleet.ptz.onvif.Soap.TPTZ;
import static io.visionfleet.ptz.onvif.Soap.TT;

/**
 * An ONVIF PTZ camera: the PTZ calls on what {@link OnvifDiscovery} found, sent by an {@link OnvifClient} (SOAP 1.2,
 * WS-Security UsernameToken digest). Moves use the generic spaces: velocities in -1..1 go as they are; positions map
 * linearly from the node's range to the configured degrees ({@code pan-deg-min..max}, {@code tilt-deg-min..max}) and
 * to the camera's zoom range, as the ISAPI driver maps its 0.1 degree units. A camera without absolute moves reaches
 * a position by a RelativeMove from its reported one. Continuous moves carry a Timeout, so the camera stops by itself
 * when the controller stops renewing them.
 *
 * <p>Thread-safe, and no lock is held across a request: a status poll never delays a move. Commands from concurrent
 * callers go out side by side and the camera carries them out in the order they arrive, so the later one supersedes
 * the earlier; callers that need an order (the controller) already issue their commands one at a time.
 */
public final class OnvifDriver implements PtzDriver {
    private static final Logger LOG = Logger.getLogger(OnvifDriver.class);

    /** Connection settings and the degrees the ends of the camera's generic position space stand for. */
    public record Settings(URI deviceService, String username, char[] password, Optional<String> profile,
                           Duration timeout, Duration authBackoff, Duration continuousTimeout,
                           double panDegMin, double panDegMax, double tiltDegMin, double tiltDegMax) {
    }

    private final Settings settings;
    private final PtzCapabilities caps;
    private final OnvifClient client;
    private final SessionSlot session = new SessionSlot();
    private final StatusCache status;
    /** Whether the last command sent was a continuous move (close then stops the camera). */
    private volatile boolean moving;

    /**
     * @param caps    configured ranges: pan/tilt limits in degrees, zoom factor range the zoom space maps to, presets
     * @param clockMs wall clock, epoch ms (tokens are created on it plus the device's offset)
     */
    public OnvifDriver(Settings settings, PtzCapabilities caps, LongSupplier clockMs) {
        this.settings = settings;
        this.caps = caps;
        this.client = new OnvifClient(settings.deviceService(), settings.username(), settings.password(),
                settings.timeout(), settings.authBackoff(), clockMs);
        this.status = new StatusCache(StatusCache.MAX_AGE, clockMs);
    }

    @Override
    public void moveRelative(double panSpeed, double tiltSpeed, double zoomSpeed) {
        check(panSpeed, tiltSpeed, zoomSpeed);
        if (panSpeed == 0 && tiltSpeed == 0 && zoomSpeed == 0) {
            stop();
            return;
        }
        continuous(panSpeed, tiltSpeed, zoomSpeed, settings.continuousTimeout());
    }

    /** A ContinuousMove with a Timeout of {@code durationMs}: the camera ends it itself. */
    @Override
    public void moveFor(double panSpeed, double tiltSpeed, double zoomSpeed, long durationMs) {
        check(panSpeed, tiltSpeed, zoomSpeed);
        continuous(panSpeed, tiltSpeed, zoomSpeed, Duration.ofMillis(Math.max(1, Math.min(100_000, durationMs))));
    }

    @Override
    public void moveTo(double panDeg, double tiltDeg, double zoom) {
        if (Double.isNaN(panDeg) || Double.isNaN(tiltDeg) || Double.isNaN(zoom)) {
            throw new IllegalArgumentException("position must be numbers");
        }
        double pan = caps.clampPan(panDeg);
        double tilt = caps.clampTilt(tiltDeg);
        double z = caps.clampZoom(zoom);
        OnvifSession s = session();
        if (s.absPanTilt() == null) {
            if (s.relPanTilt() == null) {
                throw new PtzException("camera " + host() + " supports neither absolute nor relative moves: positions "
                        + "cannot be reached");
            }
            // no absolute moves: the difference from where the camera says it is, as a relative move
            PtzStatus now = withSession(this::readStatus);
            moveBy(pan - now.panDeg(), tilt - now.tiltDeg(), z - now.zoom());
            return;
        }
        OnvifSession.Space pt = s.absPanTilt();
        OnvifRequest.Vector panTilt = pt.panTilt(
                toUnits(pan, settings.panDegMin(), settings.panDegMax(), pt.xMin(), pt.xMax()),
                toUnits(tilt, settings.tiltDegMin(), settings.tiltDegMax(), pt.yMin(), pt.yMax()));
        OnvifSession.Space zs = s.absZoom();
        OnvifRequest.Vector zoomTo = zs == null ? null : zs.zoom(toUnits(z, caps.zoomMin(), caps.zoomMax(), zs.xMin(), zs.xMax()));
        command(false, x -> OnvifRequest.absoluteMove(x.profile(), panTilt, zoomTo));
    }

    /**
     * A RelativeMove by these degrees and zoom factors (translation generic space: the same units per degree as the
     * position space, whose ends are the configured degrees).
     */
    public void moveBy(double dPanDeg, double dTiltDeg, double dZoom) {
        command(false, s -> {
            OnvifSession.Space rel = s.relPanTilt();
            if (rel == null) {
                throw new PtzException("camera " + host() + " does not support relative moves");
            }
            OnvifSession.Space abs = s.positionPanTilt();
            OnvifRequest.Vector panTilt = rel.panTilt(
                    dPanDeg * (abs.xMax() - abs.xMin()) / (settings.panDegMax() - settings.panDegMin()),
                    dTiltDeg * (abs.yMax() - abs.yMin()) / (settings.tiltDegMax() - settings.tiltDegMin()));
            OnvifSession.Space zAbs = s.positionZoom();
            OnvifRequest.Vector zoomBy = s.relZoom() == null || dZoom == 0 ? null
                    : s.relZoom().zoom(dZoom * (zAbs.xMax() - zAbs.xMin()) / (caps.zoomMax() - caps.zoomMin()));
            return OnvifRequest.relativeMove(s.profile(), panTilt, zoomBy);
        });
    }

    @Override
    public void goPreset(int n) {
        checkPreset(n);
        command(false, s -> {
            String preset = presets(s).get(Integer.toString(n));
            if (preset == null) {
                throw new IllegalArgumentException("preset " + n + " is not set on camera " + host());
            }
            return OnvifRequest.gotoPreset(s.profile(), preset);
        });
    }

    /** Stores preset {@code n} under the name {@code n}, overwriting the preset of that name or token if there is one. */
    @Override
    public void setPreset(int n) {
        checkPreset(n);
        withSession(s -> {
            send(s, OnvifRequest.setPreset(s.profile(), Integer.toString(n), presets(s).get(Integer.toString(n))));
            return null;
        });
    }

    @Override
    public void stop() {
        command(false, s -> OnvifRequest.stop(s.profile()));
    }

    @Override
    public PtzStatus status() {
        return status.get(() -> withSession(this::readStatus));
    }

    /** The configured ranges, with presets, continuous and absolute moves as the camera's PTZ node says. */
    @Override
    public PtzCapabilities capabilities() {
        OnvifSession s = session();
        int presets = s.maxPresets() > 0 ? Math.min(caps.presets(), s.maxPresets()) : caps.presets();
        return new PtzCapabilities(caps.panMin(), caps.panMax(), caps.tiltMin(), caps.tiltMax(), caps.zoomMin(),
                caps.zoomMax(), presets, s.velPanTilt() != null, s.absPanTilt() != null);
    }

    /** What discovery found (connects first if needed). */
    OnvifSession discovered() {
        return session();
    }

    /** The device clock minus ours, ms, as last measured. */
    public long clockOffsetMs() {
        return client.clock().offsetMs();
    }

    /** HTTP requests sent so far (tests check that refused credentials cause no retry storm). */
    public long requests() {
        return client.requests();
    }

    @Override
    public void close() {
        if (moving && session.peek() != null) {
            try {
                stop();
            } catch (PtzException e) {
                LOG.debugf("final stop of %s failed: %s", settings.deviceService(), e.getMessage());
            }
        }
    }

    private void continuous(double panSpeed, double tiltSpeed, double zoomSpeed, Duration timeout) {
        command(true, s -> {
            OnvifSession.Space v = s.velPanTilt();
            if (v == null) {
                throw new PtzException("camera " + host() + " does not support continuous moves");
            }
            OnvifRequest.Vector zoom = s.velZoom() == null ? null : s.velZoom().zoom(clamp1(zoomSpeed));
            return OnvifRequest.continuousMove(s.profile(), v.panTilt(clamp1(panSpeed), clamp1(tiltSpeed)), zoom, timeout);
        });
    }

    /** Sends the command {@code request} makes for the session; {@code continuous} says whether it leaves the camera moving. */
    private void command(boolean continuous, Function<OnvifSession, OnvifRequest> request) {
        withSession(s -> send(s, request.apply(s)));
        moving = continuous;
    }

    private Element send(OnvifSession s, OnvifRequest request) {
        Element r = client.call(s.ptz(), request);
        status.invalidate();
        return r;
    }

    private PtzStatus readStatus(OnvifSession s) {
        Element st = Soap.child(client.call(s.ptz(), OnvifRequest.getStatus(s.profile())), TPTZ, "PTZStatus");
        Element pos = Soap.child(st, TT, "Position");
        Element pt = Soap.child(pos, TT, "PanTilt");
        Double x = Soap.attr(pt, "x");
        Double y = Soap.attr(pt, "y");
        if (x == null || y == null) {
            throw new PtzException("camera " + host() + " reports no pan/tilt position");
        }
        OnvifSession.Space abs = s.positionPanTilt();
        OnvifSession.Space zAbs = s.positionZoom();
        Double zx = Soap.attr(Soap.child(pos, TT, "Zoom"), "x");
        double zoom = zx == null ? caps.zoomMin() : toUnits(zx, zAbs.xMin(), zAbs.xMax(), caps.zoomMin(), caps.zoomMax());
        Element ms = Soap.child(st, TT, "MoveStatus");
        boolean isMoving = "MOVING".equalsIgnoreCase(Soap.text(Soap.child(ms, TT, "PanTilt")))
                || "MOVING".equalsIgnoreCase(Soap.text(Soap.child(ms, TT, "Zoom")));
        return new PtzStatus(toUnits(x, abs.xMin(), abs.xMax(), settings.panDegMin(), settings.panDegMax()),
                toUnits(y, abs.yMin(), abs.yMax(), settings.tiltDegMin(), settings.tiltDegMax()), zoom, isMoving);
    }

    /** Preset name or token ("1", "2", ...) → token; a name wins over another preset's token. */
    private Map<String, String> presets(OnvifSession s) {
        Element r = client.call(s.ptz(), OnvifRequest.getPresets(s.profile()));
        Map<String, String> byToken = new HashMap<>();
        Map<String, String> byName = new HashMap<>();
        for (Element p : Soap.children(r, TPTZ, "Preset")) {
            String t = p.getAttribute("token");
            if (t.isEmpty()) {
                continue;
            }
            byToken.put(t, t);
            String name = Soap.text(Soap.child(p, TT, "Name"));
            if (name != null && !name.isEmpty()) {
                byName.putIfAbsent(name, t);
            }
        }
        byToken.putAll(byName);
        return byToken;
    }

    /** Runs {@code call} on the session; a camera found unreachable is discovered again next time (it may have moved its services). */
    private <T> T withSession(Function<OnvifSession, T> call) {
        OnvifSession s = session();
        try {
            return call.apply(s);
        } catch (PtzUnreachableException e) {
            session.forget(s);
            throw e;
        }
    }

    private OnvifSession session() {
        return session.get(() -> {
            client.checkHoldOff();
            OnvifSession s = OnvifDiscovery.discover(client, settings.profile());
            LOG.infof("ONVIF camera %s: profile %s, PTZ at %s (absolute %s, relative %s, continuous %s), clock offset %d ms",
                    host(), s.profile(), s.ptz(), s.absPanTilt() != null, s.relPanTilt() != null,
                    s.velPanTilt() != null, client.clock().offsetMs());
            return s;
        });
    }

    private String host() {
        return settings.deviceService().getHost();
    }

    private void checkPreset(int n) {
        int max = caps.presets();
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("preset must be in 1.." + max + ", got " + n);
        }
    }

    private static void check(double... speeds) {
        for (double s : speeds) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("speed must be a number");
            }
        }
    }

    private static double clamp1(double v) {
        return PtzCapabilities.clamp(v, -1, 1);
    }

    /** {@code v} in [from0, from1] mapped linearly onto [to0, to1] (and back, with the ranges swapped). */
    static double toUnits(double v, double from0, double from1, double to0, double to1) {
        return from1 == from0 ? to0 : to0 + (v - from0) * (to1 - to0) / (from1 - from0);
    }
}
