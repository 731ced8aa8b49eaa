package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzAuthException;
import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static io.visionfleet.ptz.onvif.Soap.TDS;
import static io.visionfleet.ptz.onvif.Soap.TPTZ;
import static io.visionfleet.ptz.onvif.Soap.TRT;
import static io.visionfleet.ptz.onvif.Soap.TT;
import static io.visionfleet.ptz.onvif.Soap.num;

/**
 * An ONVIF PTZ camera (SOAP 1.2 over HTTP, WS-Security UsernameToken digest). On first use it reads the device's
 * clock (GetSystemDateAndTime, so that tokens are created on the device's time), finds the Media and PTZ services
 * (GetServices, or GetCapabilities on devices without it), the profile (the configured one, else the first with a
 * PTZ configuration) and its PTZ node's supported spaces (GetNodes). Moves use the generic spaces: velocities in
 * -1..1 go as they are; positions map linearly from the node's range to the configured degrees
 * ({@code pan-deg-min..max}, {@code tilt-deg-min..max}) and to the camera's zoom range, as the ISAPI driver maps its
 * 0.1 degree units. A camera without absolute moves reaches a position by a RelativeMove from its reported one.
 * Continuous moves carry a Timeout, so the camera stops by itself when the controller stops renewing them.
 */
public final class OnvifDriver implements PtzDriver {
    private static final Logger LOG = Logger.getLogger(OnvifDriver.class);
    private static final long MAX_AUTH_BACKOFF_MS = TimeUnit.MINUTES.toMillis(30);
    private static final long STATUS_MAX_AGE_MS = 250;
    private static final String GENERIC = "GenericSpace";

    /** Connection settings and the degrees the ends of the camera's generic position space stand for. */
    public record Settings(URI deviceService, String username, char[] password, Optional<String> profile,
                           Duration timeout, Duration authBackoff, Duration continuousTimeout,
                           double panDegMin, double panDegMax, double tiltDegMin, double tiltDegMax) {
    }

    /** A range of a space, {@code uri} the space (sent with the move so the camera reads the numbers right). */
    record Space(String uri, double xMin, double xMax, double yMin, double yMax) {
        double clampX(double v) {
            return PtzCapabilities.clamp(v, xMin, xMax);
        }

        double clampY(double v) {
            return PtzCapabilities.clamp(v, yMin, yMax);
        }

        String attr() {
            return uri == null ? "" : " space=\"" + Soap.esc(uri) + "\"";
        }
    }

    /** What discovery found: service addresses, the profile and its node's spaces. */
    record Session(URI media, URI ptz, String profile, String node, Space absPanTilt, Space absZoom, Space relPanTilt,
                   Space relZoom, Space velPanTilt, Space velZoom, int maxPresets) {
    }

    private final Settings settings;
    private final PtzCapabilities caps;
    private final UsernameToken token;
    private final HttpClient http;
    private final LongSupplier clockMs;
    private Session session;
    private long clockOffsetMs;
    private boolean clockSynced;
    private long authBlockedUntil;
    private long authDelayMs;
    private PtzStatus cachedStatus;
    private long cachedAt;
    private boolean moving;
    private long requests;

    /**
     * @param caps    configured ranges: pan/tilt limits in degrees, zoom factor range the zoom space maps to, presets
     * @param clockMs wall clock, epoch ms (tokens are created on it plus the device's offset)
     */
    public OnvifDriver(Settings settings, PtzCapabilities caps, LongSupplier clockMs) {
        this.settings = settings;
        this.caps = caps;
        this.token = new UsernameToken(settings.username(), settings.password());
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.clockMs = clockMs;
        this.authDelayMs = settings.authBackoff().toMillis();
    }

    @Override
    public synchronized void moveRelative(double panSpeed, double tiltSpeed, double zoomSpeed) {
        check(panSpeed, tiltSpeed, zoomSpeed);
        if (panSpeed == 0 && tiltSpeed == 0 && zoomSpeed == 0) {
            stop();
            return;
        }
        continuous(panSpeed, tiltSpeed, zoomSpeed, settings.continuousTimeout());
    }

    /** A ContinuousMove with a Timeout of {@code durationMs}: the camera ends it itself. */
    @Override
    public synchronized void moveFor(double panSpeed, double tiltSpeed, double zoomSpeed, long durationMs) {
        check(panSpeed, tiltSpeed, zoomSpeed);
        continuous(panSpeed, tiltSpeed, zoomSpeed, Duration.ofMillis(Math.max(1, Math.min(100_000, durationMs))));
    }

    @Override
    public synchronized void moveTo(double panDeg, double tiltDeg, double zoom) {
        if (Double.isNaN(panDeg) || Double.isNaN(tiltDeg) || Double.isNaN(zoom)) {
            throw new IllegalArgumentException("position must be numbers");
        }
        Session s = session();
        double pan = caps.clampPan(panDeg);
        double tilt = caps.clampTilt(tiltDeg);
        double z = caps.clampZoom(zoom);
        if (s.absPanTilt() != null) {
            Space pt = s.absPanTilt();
            StringBuilder b = new StringBuilder("<tptz:AbsoluteMove><tptz:ProfileToken>").append(Soap.esc(s.profile()))
                    .append("</tptz:ProfileToken><tptz:Position><tt:PanTilt x=\"")
                    .append(num(pt.clampX(toUnits(pan, settings.panDegMin(), settings.panDegMax(), pt.xMin(), pt.xMax()))))
                    .append("\" y=\"")
                    .append(num(pt.clampY(toUnits(tilt, settings.tiltDegMin(), settings.tiltDegMax(), pt.yMin(), pt.yMax()))))
                    .append('"').append(pt.attr()).append("/>");
            if (s.absZoom() != null) {
                Space zs = s.absZoom();
                b.append("<tt:Zoom x=\"").append(num(zs.clampX(toUnits(z, caps.zoomMin(), caps.zoomMax(), zs.xMin(), zs.xMax()))))
                        .append('"').append(zs.attr()).append("/>");
            }
            b.append("</tptz:Position></tptz:AbsoluteMove>");
            ptz(s, "AbsoluteMove", b.toString());
            moving = false;
            return;
        }
        if (s.relPanTilt() == null) {
            throw new PtzException("camera " + settings.deviceService().getHost()
                    + " supports neither absolute nor relative moves: positions cannot be reached");
        }
        // no absolute moves: the difference from where the camera says it is, as a relative move
        PtzStatus now = readStatus(s);
        moveBy(pan - now.panDeg(), tilt - now.tiltDeg(), z - now.zoom());
    }

    /**
     * A RelativeMove by these degrees and zoom factors (translation generic space: the same units per degree as the
     * position space, whose ends are the configured degrees).
     */
    public synchronized void moveBy(double dPanDeg, double dTiltDeg, double dZoom) {
        Session s = session();
        if (s.relPanTilt() == null) {
            throw new PtzException("camera " + settings.deviceService().getHost() + " does not support relative moves");
        }
        Space abs = s.absPanTilt() != null ? s.absPanTilt() : new Space(null, -1, 1, -1, 1);
        Space rel = s.relPanTilt();
        double dx = dPanDeg * (abs.xMax() - abs.xMin()) / (settings.panDegMax() - settings.panDegMin());
        double dy = dTiltDeg * (abs.yMax() - abs.yMin()) / (settings.tiltDegMax() - settings.tiltDegMin());
        StringBuilder b = new StringBuilder("<tptz:RelativeMove><tptz:ProfileToken>").append(Soap.esc(s.profile()))
                .append("</tptz:ProfileToken><tptz:Translation><tt:PanTilt x=\"").append(num(rel.clampX(dx)))
                .append("\" y=\"").append(num(rel.clampY(dy))).append('"').append(rel.attr()).append("/>");
        if (s.relZoom() != null && dZoom != 0) {
            Space zAbs = s.absZoom() != null ? s.absZoom() : new Space(null, 0, 1, 0, 0);
            double dz = dZoom * (zAbs.xMax() - zAbs.xMin()) / (caps.zoomMax() - caps.zoomMin());
            b.append("<tt:Zoom x=\"").append(num(s.relZoom().clampX(dz))).append('"').append(s.relZoom().attr()).append("/>");
        }
        b.append("</tptz:Translation></tptz:RelativeMove>");
        ptz(s, "RelativeMove", b.toString());
        moving = false;
    }

    @Override
    public synchronized void goPreset(int n) {
        checkPreset(n);
        Session s = session();
        String preset = presets(s).get(Integer.toString(n));
        if (preset == null) {
            throw new IllegalArgumentException("preset " + n + " is not set on camera " + settings.deviceService().getHost());
        }
        ptz(s, "GotoPreset", "<tptz:GotoPreset><tptz:ProfileToken>" + Soap.esc(s.profile()) + "</tptz:ProfileToken>"
                + "<tptz:PresetToken>" + Soap.esc(preset) + "</tptz:PresetToken></tptz:GotoPreset>");
        moving = false;
    }

    /** Stores preset {@code n} under the name {@code n}, overwriting the preset of that name or token if there is one. */
    @Override
    public synchronized void setPreset(int n) {
        checkPreset(n);
        Session s = session();
        String existing = presets(s).get(Integer.toString(n));
        ptz(s, "SetPreset", "<tptz:SetPreset><tptz:ProfileToken>" + Soap.esc(s.profile()) + "</tptz:ProfileToken>"
                + "<tptz:PresetName>" + n + "</tptz:PresetName>"
                + (existing == null ? "" : "<tptz:PresetToken>" + Soap.esc(existing) + "</tptz:PresetToken>")
                + "</tptz:SetPreset>");
    }

    @Override
    public synchronized void stop() {
        Session s = session();
        ptz(s, "Stop", "<tptz:Stop><tptz:ProfileToken>" + Soap.esc(s.profile()) + "</tptz:ProfileToken>"
                + "<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>");
        moving = false;
    }

    @Override
    public synchronized PtzStatus status() {
        long now = clockMs.getAsLong();
        if (cachedStatus != null && now - cachedAt < STATUS_MAX_AGE_MS) {
            return cachedStatus;
        }
        cachedStatus = readStatus(session());
        cachedAt = now;
        return cachedStatus;
    }

    /** The configured ranges, with presets, continuous and absolute moves as the camera's PTZ node says. */
    @Override
    public synchronized PtzCapabilities capabilities() {
        Session s = session();
        int presets = s.maxPresets() > 0 ? Math.min(caps.presets(), s.maxPresets()) : caps.presets();
        return new PtzCapabilities(caps.panMin(), caps.panMax(), caps.tiltMin(), caps.tiltMax(), caps.zoomMin(),
                caps.zoomMax(), presets, s.velPanTilt() != null, s.absPanTilt() != null);
    }

    /** What discovery found (connects first if needed). */
    synchronized Session discovered() {
        return session();
    }

    /** The device clock minus ours, ms, as last measured. */
    public synchronized long clockOffsetMs() {
        return clockOffsetMs;
    }

    /** HTTP requests sent so far (tests check that refused credentials cause no retry storm). */
    public synchronized long requests() {
        return requests;
    }

    @Override
    public synchronized void close() {
        if (moving && session != null) {
            try {
                stop();
            } catch (PtzException e) {
                LOG.debugf("final stop of %s failed: %s", settings.deviceService(), e.getMessage());
            }
        }
    }

    private void continuous(double panSpeed, double tiltSpeed, double zoomSpeed, Duration timeout) {
        Session s = session();
        if (s.velPanTilt() == null) {
            throw new PtzException("camera " + settings.deviceService().getHost() + " does not support continuous moves");
        }
        Space v = s.velPanTilt();
        StringBuilder b = new StringBuilder("<tptz:ContinuousMove><tptz:ProfileToken>").append(Soap.esc(s.profile()))
                .append("</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x=\"").append(num(v.clampX(clamp1(panSpeed))))
                .append("\" y=\"").append(num(v.clampY(clamp1(tiltSpeed)))).append('"').append(v.attr()).append("/>");
        if (s.velZoom() != null) {
            b.append("<tt:Zoom x=\"").append(num(s.velZoom().clampX(clamp1(zoomSpeed)))).append('"')
                    .append(s.velZoom().attr()).append("/>");
        }
        b.append("</tptz:Velocity><tptz:Timeout>").append(timeout).append("</tptz:Timeout></tptz:ContinuousMove>");
        ptz(s, "ContinuousMove", b.toString());
        moving = true;
    }

    private PtzStatus readStatus(Session s) {
        Element r = call(s.ptz(), TPTZ, "GetStatus", "<tptz:GetStatus><tptz:ProfileToken>" + Soap.esc(s.profile())
                + "</tptz:ProfileToken></tptz:GetStatus>");
        Element st = Soap.child(r, TPTZ, "PTZStatus");
        Element pos = Soap.child(st, TT, "Position");
        Element pt = Soap.child(pos, TT, "PanTilt");
        Double x = Soap.attr(pt, "x");
        Double y = Soap.attr(pt, "y");
        if (x == null || y == null) {
            throw new PtzException("camera " + settings.deviceService().getHost() + " reports no pan/tilt position");
        }
        Space abs = s.absPanTilt() != null ? s.absPanTilt() : new Space(null, -1, 1, -1, 1);
        Space zAbs = s.absZoom() != null ? s.absZoom() : new Space(null, 0, 1, 0, 0);
        Double zx = Soap.attr(Soap.child(pos, TT, "Zoom"), "x");
        double zoom = zx == null ? caps.zoomMin() : fromUnits(zx, zAbs.xMin(), zAbs.xMax(), caps.zoomMin(), caps.zoomMax());
        Element ms = Soap.child(st, TT, "MoveStatus");
        boolean isMoving = "MOVING".equalsIgnoreCase(Soap.text(Soap.child(ms, TT, "PanTilt")))
                || "MOVING".equalsIgnoreCase(Soap.text(Soap.child(ms, TT, "Zoom")));
        return new PtzStatus(fromUnits(x, abs.xMin(), abs.xMax(), settings.panDegMin(), settings.panDegMax()),
                fromUnits(y, abs.yMin(), abs.yMax(), settings.tiltDegMin(), settings.tiltDegMax()), zoom, isMoving);
    }

    /** Preset name or token ("1", "2", ...) → token; a name wins over another preset's token. */
    private Map<String, String> presets(Session s) {
        Element r = call(s.ptz(), TPTZ, "GetPresets", "<tptz:GetPresets><tptz:ProfileToken>" + Soap.esc(s.profile())
                + "</tptz:ProfileToken></tptz:GetPresets>");
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

    private Session session() {
        if (session == null) {
            checkHoldOff();
            session = discover();
            LOG.infof("ONVIF camera %s: profile %s, PTZ at %s (absolute %s, relative %s, continuous %s), clock offset %d ms",
                    settings.deviceService().getHost(), session.profile(), session.ptz(), session.absPanTilt() != null,
                    session.relPanTilt() != null, session.velPanTilt() != null, clockOffsetMs);
        }
        return session;
    }

    private Session discover() {
        syncClock();
        URI device = settings.deviceService();
        Map<String, URI> services = services(device);
        URI media = services.getOrDefault(TRT, device);
        URI ptz = services.get(TPTZ);
        if (ptz == null) {
            throw new PtzException("camera " + device.getHost() + " has no PTZ service");
        }
        Element profiles = call(media, TRT, "GetProfiles", "<trt:GetProfiles/>");
        String profile = null;
        String node = null;
        List<String> seen = new ArrayList<>();
        for (Element p : Soap.children(profiles, TRT, "Profiles")) {
            String t = p.getAttribute("token");
            seen.add(t);
            Element conf = Soap.child(p, TT, "PTZConfiguration");
            boolean wanted = settings.profile().map(t::equals).orElse(conf != null);
            if (wanted) {
                if (conf == null) {
                    throw new PtzException("profile " + t + " of camera " + device.getHost() + " has no PTZ configuration");
                }
                profile = t;
                node = Soap.text(Soap.child(conf, TT, "NodeToken"));
                break;
            }
        }
        if (profile == null) {
            throw new PtzException("camera " + device.getHost() + " has " + settings.profile()
                    .map(p -> "no profile " + p).orElse("no profile with a PTZ configuration") + " (profiles: " + seen + ")");
        }
        Element nodes = call(ptz, TPTZ, "GetNodes", "<tptz:GetNodes/>");
        Element chosen = null;
        for (Element n : Soap.children(nodes, TPTZ, "PTZNode")) {
            if (chosen == null || n.getAttribute("token").equals(node)) {
                chosen = n;
            }
        }
        if (chosen == null) {
            throw new PtzException("camera " + device.getHost() + " lists no PTZ node");
        }
        Element spaces = Soap.child(chosen, TT, "SupportedPTZSpaces");
        Double max = Soap.number(Soap.child(chosen, TT, "MaximumNumberOfPresets"));
        return new Session(media, ptz, profile, chosen.getAttribute("token"),
                space(spaces, "AbsolutePanTiltPositionSpace"), space(spaces, "AbsoluteZoomPositionSpace"),
                space(spaces, "RelativePanTiltTranslationSpace"), space(spaces, "RelativeZoomTranslationSpace"),
                space(spaces, "ContinuousPanTiltVelocitySpace"), space(spaces, "ContinuousZoomVelocitySpace"),
                max == null ? 0 : max.intValue());
    }

    /** The generic space of this kind (the normalised one this driver maps), or null when the node has none. */
    private static Space space(Element spaces, String kind) {
        for (Element e : Soap.children(spaces, TT, kind)) {
            String uri = Soap.text(Soap.child(e, TT, "URI"));
            if (uri != null && !uri.endsWith(GENERIC)) {
                continue;
            }
            Element xr = Soap.child(e, TT, "XRange");
            Element yr = Soap.child(e, TT, "YRange");
            Double x0 = Soap.number(Soap.child(xr, TT, "Min"));
            Double x1 = Soap.number(Soap.child(xr, TT, "Max"));
            Double y0 = Soap.number(Soap.child(yr, TT, "Min"));
            Double y1 = Soap.number(Soap.child(yr, TT, "Max"));
            if (x0 == null || x1 == null || !(x1 > x0)) {
                continue;
            }
            return new Space(uri, x0, x1, y0 == null ? 0 : y0, y1 == null ? 0 : y1);
        }
        return null;
    }

    /** Namespace → XAddr of the device's services: GetServices, or GetCapabilities where that is not supported. */
    private Map<String, URI> services(URI device) {
        Map<String, URI> out = new HashMap<>();
        try {
            Element r = call(device, TDS, "GetServices",
                    "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>");
            for (Element s : Soap.children(r, TDS, "Service")) {
                String ns = Soap.text(Soap.child(s, TDS, "Namespace"));
                String addr = Soap.text(Soap.child(s, TDS, "XAddr"));
                if (ns != null && addr != null && !addr.isEmpty()) {
                    out.put(ns, xaddr(device, addr));
                }
            }
        } catch (FaultException e) {
            if (!e.fault.actionNotSupported() && !"Receiver".equals(e.fault.code())) {
                throw e;
            }
            LOG.debugf("camera %s: GetServices refused (%s), asking GetCapabilities", device.getHost(), e.fault);
        }
        if (!out.containsKey(TPTZ)) {
            Element r = call(device, TDS, "GetCapabilities",
                    "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>");
            Element c = Soap.child(r, TDS, "Capabilities");
            String p = Soap.text(Soap.path(c, TT, "PTZ", "XAddr"));
            String m = Soap.text(Soap.path(c, TT, "Media", "XAddr"));
            if (p != null && !p.isEmpty()) {
                out.put(TPTZ, xaddr(device, p));
            }
            if (m != null && !m.isEmpty()) {
                out.putIfAbsent(TRT, xaddr(device, m));
            }
        }
        return out;
    }

    /**
     * A service address as the device gave it. Devices behind NAT or port forwarding report their own LAN address:
     * the path is kept, host and port are the ones configured.
     */
    private static URI xaddr(URI device, String addr) {
        URI u = URI.create(addr.trim());
        return device.resolve(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    /** Reads the device's UTC clock (no authentication needed) and keeps its offset from ours. */
    private void syncClock() {
        long before = clockMs.getAsLong();
        Element r = send(settings.deviceService(), TDS, "GetSystemDateAndTime", "<tds:GetSystemDateAndTime/>", false);
        long after = clockMs.getAsLong();
        Element utc = Soap.path(Soap.child(r, TDS, "SystemDateAndTime"), TT, "UTCDateTime");
        Element date = Soap.child(utc, TT, "Date");
        Element time = Soap.child(utc, TT, "Time");
        Double y = Soap.number(Soap.child(date, TT, "Year"));
        Double mo = Soap.number(Soap.child(date, TT, "Month"));
        Double d = Soap.number(Soap.child(date, TT, "Day"));
        Double h = Soap.number(Soap.child(time, TT, "Hour"));
        Double mi = Soap.number(Soap.child(time, TT, "Minute"));
        Double s = Soap.number(Soap.child(time, TT, "Second"));
        if (y == null || mo == null || d == null || h == null || mi == null || s == null) {
            LOG.warnf("camera %s gave no UTC time; creating tokens on our clock", settings.deviceService().getHost());
            clockOffsetMs = 0;
        } else {
            long device = LocalDateTime.of(y.intValue(), mo.intValue(), d.intValue(), h.intValue(), mi.intValue(),
                    s.intValue()).toInstant(ZoneOffset.UTC).toEpochMilli();
            // the device's seconds were read somewhere in the round trip; its whole second ends up to 1 s later
            clockOffsetMs = device + 500 - (before + after) / 2;
        }
        clockSynced = true;
    }

    private Element ptz(Session s, String op, String body) {
        Element r = call(s.ptz(), TPTZ, op, body);
        cachedStatus = null;
        return r;
    }

    /**
     * An authenticated call. A NotAuthorized fault may be a clock that moved: the clock is read again and the call
     * retried once; refused again, the credentials are wrong and the driver holds off (doubling up to 30 min) so the
     * camera's login lock does not trip.
     */
    private Element call(URI url, String ns, String op, String body) {
        checkHoldOff();
        try {
            Element r = send(url, ns, op, body, true);
            authDelayMs = settings.authBackoff().toMillis();
            return r;
        } catch (FaultException first) {
            if (!first.fault.notAuthorized()) {
                throw first;
            }
            if (clockSynced) {
                syncClock();
            }
            try {
                Element r = send(url, ns, op, body, true);
                authDelayMs = settings.authBackoff().toMillis();
                return r;
            } catch (FaultException second) {
                if (!second.fault.notAuthorized()) {
                    throw second;
                }
                authBlockedUntil = clockMs.getAsLong() + authDelayMs;
                long waited = authDelayMs;
                authDelayMs = Math.min(MAX_AUTH_BACKOFF_MS, authDelayMs * 2);
                LOG.errorf("camera %s refused the credentials of user '%s' (%s); holding off %d s",
                        settings.deviceService().getHost(), settings.username(), second.fault, waited / 1000);
                throw new PtzAuthException(String.format("camera %s refused the credentials of user '%s' (%s; clock "
                        + "offset %d ms applied): wrong password? Holding off %d s so its login lock does not trip",
                        settings.deviceService().getHost(), settings.username(), second.fault.reason() == null
                                ? "NotAuthorized" : second.fault.reason(), clockOffsetMs, waited / 1000));
            }
        }
    }

    /** Nothing at all goes to a camera that refused the credentials until the hold-off is over. */
    private void checkHoldOff() {
        long now = clockMs.getAsLong();
        if (now < authBlockedUntil) {
            throw new PtzAuthException(String.format("camera %s refused user '%s'; not trying again for %d s (its login "
                    + "lock trips after repeated failures): check fleet.ptz.cameras.*.onvif.password",
                    settings.deviceService().getHost(), settings.username(), (authBlockedUntil - now + 999) / 1000));
        }
    }

    /** A fault answered by the camera (a PtzException naming the operation and the camera's reason). */
    static final class FaultException extends PtzException {
        final transient Soap.Fault fault;

        FaultException(String message, Soap.Fault fault) {
            super(message);
            this.fault = fault;
        }
    }

    /** One SOAP request; the response's body element, or a FaultException / PtzException. */
    private Element send(URI url, String ns, String op, String body, boolean authenticated) {
        String header = authenticated ? token.header(clockMs.getAsLong() + clockOffsetMs) : null;
        HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.timeout())
                .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + ns + "/" + op + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(Soap.envelope(header, body))).build();
        HttpResponse<String> response;
        requests++;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            session = null; // a camera that comes back may have moved its services: discover again
            throw new PtzException("camera " + url.getHost() + " unreachable (" + op + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtzException("interrupted while talking to " + url.getHost(), e);
        }
        Element result;
        try {
            result = Soap.body(Soap.parse(response.body()));
        } catch (IllegalArgumentException e) {
            if (response.statusCode() == 401) {
                throw new PtzAuthException("camera " + url.getHost() + " answered " + op + " with HTTP 401: it asks for "
                        + "HTTP authentication; this driver authenticates with WS-Security UsernameToken only");
            }
            throw new PtzException("camera " + url.getHost() + " answered " + op + " with HTTP " + response.statusCode()
                    + " and no SOAP envelope (" + e.getMessage() + ")");
        }
        Soap.Fault fault = Soap.Fault.of(result);
        if (fault != null) {
            throw new FaultException("camera " + url.getHost() + " refused " + op + ": " + fault, fault);
        }
        if (response.statusCode() / 100 != 2) {
            throw new PtzException("camera " + url.getHost() + " answered " + op + " with HTTP " + response.statusCode());
        }
        if (result == null || !(op + "Response").equals(result.getLocalName())) {
            throw new PtzException("camera " + url.getHost() + " answered " + op + " with "
                    + (result == null ? "an empty body" : result.getLocalName()));
        }
        return result;
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

    /** {@code v} in [from0, from1] mapped linearly onto [to0, to1]. */
    static double toUnits(double v, double from0, double from1, double to0, double to1) {
        return from1 == from0 ? to0 : to0 + (v - from0) * (to1 - to0) / (from1 - from0);
    }

    static double fromUnits(double v, double from0, double from1, double to0, double to1) {
        return toUnits(v, from0, from1, to0, to1);
    }
}
