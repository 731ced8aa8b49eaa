package io.visionfleet.ptz.isapi;

import io.visionfleet.common.auth.DigestAuth;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.ptz.driver.AuthHoldOff;
import io.visionfleet.ptz.driver.CameraHttp;
import io.visionfleet.ptz.driver.PtzAuthException;
import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.driver.StatusCache;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A Hikvision camera over ISAPI with HTTP Digest. Speeds map to the camera's -100..100, positions to its 0.1 degree and
 * x10 zoom units, every value clamped to the camera's ranges. A continuous move is always followed by a stop: a
 * watchdog sends it when no new command came within the pulse, so a camera never keeps turning after the service
 * lost its results. After the camera refuses the credentials, the driver sends nothing for a back-off that doubles
 * on each refusal ({@link AuthHoldOff}): the camera locks an account after a few failed logins. The password is
 * never logged.
 *
 * <p>Thread-safe, and no lock is held across a request: a status poll never delays a move. Commands from concurrent
 * callers go out side by side and the camera carries them out in the order they arrive, so the later one supersedes
 * the earlier; a watchdog stop already on its way when a new move is sent may land after it, and the controller's
 * next renewal restarts the move.
 */
public final class IsapiDriver implements PtzDriver {
    private static final Logger LOG = Logger.getLogger(IsapiDriver.class);

    /** Connection settings. */
    public record Settings(URI base, String username, char[] password, int channel, Duration timeout,
                           Duration authBackoff, Duration continuousPulse) {
    }

    private final Settings settings;
    private final PtzCapabilities caps;
    private final DigestAuth auth;
    private final CameraHttp http;
    private final AuthHoldOff holdOff;
    private final StatusCache status;
    private final ScheduledExecutorService watchdog;
    private final String prefix;
    /** The configured ranges, narrowed by the camera's own once {@link #capabilities()} has read them. */
    private volatile PtzCapabilities limits;
    /** Guards the watchdog's state below; never held across a request. */
    private final Object stopLock = new Object();
    private ScheduledFuture<?> pendingStop;
    /** Counts commands, so that a watchdog stop scheduled before a newer command stands down. */
    private long commands;

    public IsapiDriver(Settings settings, PtzCapabilities caps, LongSupplier clockMs) {
        this.settings = settings;
        this.caps = caps;
        this.limits = caps;
        this.auth = new DigestAuth(settings.username(), settings.password());
        this.http = new CameraHttp(settings.base().toString(), settings.timeout());
        this.holdOff = new AuthHoldOff(settings.base().toString(), settings.username(),
                "fleet.ptz.cameras.*.isapi.password", settings.authBackoff(), clockMs);
        this.status = new StatusCache(StatusCache.MAX_AGE, clockMs);
        this.prefix = "/ISAPI/PTZCtrl/channels/" + settings.channel();
        this.watchdog = DaemonThreads.scheduler("isapi-stop-" + settings.base().getHost());
    }

    @Override
    public void moveRelative(double panSpeed, double tiltSpeed, double zoomSpeed) {
        int pan = speed(panSpeed);
        int tilt = speed(tiltSpeed);
        int zoom = speed(zoomSpeed);
        cancelStop();
        put(prefix + "/continuous", IsapiXml.continuous(pan, tilt, zoom));
        if (pan != 0 || tilt != 0 || zoom != 0) {
            scheduleStop();
        }
    }

    /** A momentary move: the camera itself ends it after {@code durationMs}. */
    @Override
    public void moveFor(double panSpeed, double tiltSpeed, double zoomSpeed, long durationMs) {
        cancelStop();
        put(prefix + "/momentary", IsapiXml.momentary(speed(panSpeed), speed(tiltSpeed), speed(zoomSpeed),
                Math.max(1, Math.min(100_000, durationMs))));
    }

    @Override
    public void moveTo(double panDeg, double tiltDeg, double zoom) {
        cancelStop();
        double pan = limits.clampPan(panDeg);
        int azimuth = (int) Math.round(((pan % 360) + 360) % 360 * 10) % 3600;
        int elevation = (int) Math.round(PtzCapabilities.clamp(limits.clampTilt(tiltDeg) * 10, -900, 2700));
        int absZoom = (int) Math.round(PtzCapabilities.clamp(limits.clampZoom(zoom) * 10, 1, 1000));
        put(prefix + "/absolute", IsapiXml.absolute(elevation, azimuth, absZoom));
    }

    @Override
    public void goPreset(int n) {
        checkPreset(n);
        cancelStop();
        put(prefix + "/presets/" + n + "/goto", "");
    }

    @Override
    public void setPreset(int n) {
        checkPreset(n);
        put(prefix + "/presets/" + n, IsapiXml.preset(n));
    }

    @Override
    public void stop() {
        cancelStop();
        put(prefix + "/continuous", IsapiXml.continuous(0, 0, 0));
    }

    @Override
    public PtzStatus status() {
        return status.get(this::readStatus);
    }

    /**
     * The configured ranges narrowed by what the camera reports in its {@code PTZChanelCap}: the elevation range
     * ({@code AbsolutePanTiltPositionSpace/YRange}, 0.1 degrees), the zoom range ({@code AbsoluteZoomPositionSpace},
     * or {@code AbsoluteZoomSpace} on some firmware, x10) and {@code maxPresetNum}, since a command outside them is
     * refused. Later absolute moves are clamped to these ranges.
     */
    @Override
    public PtzCapabilities capabilities() {
        Element root = IsapiXml.parse(send("GET", prefix + "/capabilities", null)).getDocumentElement();
        Element panTilt = IsapiXml.first(root, "AbsolutePanTiltPositionSpace");
        double tMin = caps.tiltMin();
        double tMax = caps.tiltMax();
        Element yRange = panTilt == null ? null : IsapiXml.first(panTilt, "YRange");
        if (yRange != null) {
            Double lo = IsapiXml.number(yRange, "Min");
            Double hi = IsapiXml.number(yRange, "Max");
            tMin = lo == null ? tMin : Math.max(tMin, lo / 10);
            tMax = hi == null ? tMax : Math.min(tMax, hi / 10);
        }
        Element zoomSpace = IsapiXml.first(root, "AbsoluteZoomPositionSpace");
        if (zoomSpace == null) {
            zoomSpace = IsapiXml.first(root, "AbsoluteZoomSpace");
        }
        double zMin = caps.zoomMin();
        double zMax = caps.zoomMax();
        if (zoomSpace != null) {
            Double lo = IsapiXml.number(zoomSpace, "Min");
            Double hi = IsapiXml.number(zoomSpace, "Max");
            zMin = lo == null ? zMin : Math.max(zMin, lo / 10);
            zMax = hi == null ? zMax : Math.min(zMax, hi / 10);
        }
        Double maxPresets = IsapiXml.number(root, "maxPresetNum");
        int presets = maxPresets == null || maxPresets < 1 ? caps.presets() : Math.min(caps.presets(), maxPresets.intValue());
        if (tMin > tMax || zMin > zMax) {
            throw new PtzException(String.format("camera %s reports ranges (tilt %.1f..%.1f, zoom %.1f..%.1f) outside the "
                    + "configured ones", settings.base(), tMin, tMax, zMin, zMax));
        }
        PtzCapabilities read = new PtzCapabilities(caps.panMin(), caps.panMax(), tMin, tMax, zMin, zMax, presets,
                IsapiXml.first(root, "ContinuousPanTiltSpace") != null || caps.continuous(),
                panTilt != null || caps.absolute());
        limits = read;
        return read;
    }

    /** HTTP requests sent so far (tests check that refused credentials cause no retry storm). */
    public long requests() {
        return http.requests();
    }

    @Override
    public void close() {
        if (moving()) {
            try {
                stop();
            } catch (PtzException e) {
                LOG.debugf("final stop of %s failed: %s", settings.base(), e.getMessage());
            }
        }
        watchdog.shutdownNow();
    }

    private PtzStatus readStatus() {
        Element root = IsapiXml.parse(send("GET", prefix + "/status", null)).getDocumentElement();
        Element abs = IsapiXml.first(root, "AbsoluteHigh");
        if (abs == null) {
            throw new PtzException("camera status has no AbsoluteHigh position");
        }
        Double azimuth = IsapiXml.number(abs, "azimuth");
        Double elevation = IsapiXml.number(abs, "elevation");
        Double zoom = IsapiXml.number(abs, "absoluteZoom");
        if (azimuth == null || elevation == null || zoom == null) {
            throw new PtzException("camera status lacks azimuth, elevation or absoluteZoom");
        }
        double pan = azimuth / 10;
        return new PtzStatus(pan > 180 ? pan - 360 : pan, elevation / 10, zoom / 10, moving());
    }

    /** Whether a continuous move awaits its watchdog stop. */
    private boolean moving() {
        synchronized (stopLock) {
            return pendingStop != null;
        }
    }

    /** A new command: the pending watchdog stop, if any, is called off. */
    private void cancelStop() {
        synchronized (stopLock) {
            commands++;
            if (pendingStop != null) {
                pendingStop.cancel(false);
                pendingStop = null;
            }
        }
    }

    /**
     * Stops the camera after the pulse unless another command comes first. Scheduled after every continuous move
     * sent, even when a command overtook it meanwhile: that move may have reached the camera last.
     */
    private void scheduleStop() {
        synchronized (stopLock) {
            if (pendingStop != null) {
                pendingStop.cancel(false);
            }
            long command = commands;
            pendingStop = watchdog.schedule(() -> watchdogStop(command), settings.continuousPulse().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void watchdogStop(long command) {
        synchronized (stopLock) {
            if (command != commands) {
                return;
            }
            pendingStop = null;
        }
        try {
            put(prefix + "/continuous", IsapiXml.continuous(0, 0, 0));
        } catch (PtzException e) {
            LOG.warnf("stop after a continuous move of %s failed: %s", settings.base(), e.getMessage());
        }
    }

    private void checkPreset(int n) {
        if (n < 1 || n > caps.presets()) {
            throw new IllegalArgumentException("preset must be in 1.." + caps.presets() + ", got " + n);
        }
    }

    private void put(String path, String xml) {
        send("PUT", path, xml);
        status.invalidate();
    }

    /**
     * One request, authenticated: with the known challenge at once, else after the camera's 401. A refusal of fresh
     * credentials blocks the driver for the back-off; at most one retry per request, so a wrong password costs the
     * camera one failed login per back-off period.
     */
    private String send(String method, String path, String body) {
        holdOff.check();
        String authorization = auth.header(method, path);
        HttpResponse<String> response = exchange(method, path, body, authorization);
        if (response.statusCode() == 401) {
            // cameras may offer Basic beside Digest, in either order
            DigestAuth.Challenge c = response.headers().allValues("WWW-Authenticate").stream()
                    .map(DigestAuth.Challenge::parse).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (c == null) {
                throw new PtzException("camera " + settings.base() + " answered 401 without a Digest challenge");
            }
            auth.challenge(c);
            // credentials sent with a current nonce and refused are wrong: trying again would only count another failure
            boolean refused = authorization != null && !c.stale();
            if (!refused) {
                response = exchange(method, path, body, auth.header(method, path));
            }
            if (refused || response.statusCode() == 401) {
                long waited = holdOff.refused("HTTP 401");
                throw new PtzAuthException(String.format("camera %s refused the credentials of user '%s' "
                        + "(wrong password?); holding off %d s so its login lock does not trip",
                        settings.base(), settings.username(), waited / 1000));
            }
        }
        if (response.statusCode() / 100 != 2) {
            throw new PtzException(String.format("camera %s answered %s %s with %d: %s", settings.base(), method, path,
                    response.statusCode(), IsapiXml.statusString(response.body())));
        }
        if (IsapiXml.failedStatus(response.body())) {
            // some firmware answers 200 with a ResponseStatus that says the command failed (Device Busy, ...)
            throw new PtzException(String.format("camera %s refused %s %s: %s", settings.base(), method, path,
                    IsapiXml.statusString(response.body())));
        }
        holdOff.accepted();
        return response.body();
    }

    private HttpResponse<String> exchange(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.base().resolve(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/xml");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b, method + " " + path);
    }

    private static int speed(double s) {
        if (Double.isNaN(s)) {
            throw new IllegalArgumentException("speed must be a number");
        }
        return (int) Math.round(Math.max(-1, Math.min(1, s)) * 100);
    }
}
