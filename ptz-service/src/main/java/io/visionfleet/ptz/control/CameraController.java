package io.visionfleet.ptz.control;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.appearance.ColourHistogram;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Drives one PTZ camera from the tracking results of its own picture. Each processed frame updates a Kalman track per
 * object in world bearings (pan/tilt degrees), the policy picks what to frame, and the loop turns the offset from the
 * picture centre into speeds: dead-zone, PID with anti-windup on the error predicted one actuation delay ahead, the
 * target's velocity fed forward, EMA smoothing, zoom keeping the target's height in a band. Every command goes to the
 * command sink (the bus). Methods are synchronized: frames, the API and the ticker call from different threads.
 */
public final class CameraController {
    private static final Logger LOG = Logger.getLogger(CameraController.class);
    /** Tracks unseen for this long are forgotten. */
    private static final long TRACK_TTL_MS = 2000;
    /** A speed change smaller than this is not worth a command. */
    private static final double SPEED_STEP = 0.02;
    /** An unchanged move is repeated this often: drivers stop a continuous move that is not renewed (a dead man's switch). */
    private static final long KEEP_ALIVE_MS = 250;
    /** A handed-off target is looked for within this many degrees of where it should be (plus growth with time). */
    private static final double HANDOFF_GATE_DEG = 6;
    private static final long HANDOFF_EXPIRY_MS = 6000;
    /** A target must have been followed this long (and a received one held this long) before it is handed on. */
    private static final long HANDOFF_MIN_TRACK_MS = 1000;
    /** Within this of its pan limit the camera counts as at the limit. */
    private static final double LIMIT_DEG = 2;
    /** Beyond this share of the half-frame the target risks leaving the picture: zoom out. */
    private static final double EDGE_ZOOM_OUT = 0.6;
    /** Weight of the newest frame in a track's colour model: slow, so one odd frame (a partial mask) barely moves it. */
    private static final double APPEARANCE_ALPHA = 0.2;
    /**
     * A target passes to a track at most this old that appeared within this many target sizes of it and moves away
     * more than this many times faster than it.
     */
    private static final long RELOCK_AGE_MS = 2000;
    private static final double RELOCK_REACH = 2;
    private static final double RELOCK_SPEED_RATIO = 3;

    /** Carries handoffs between cameras. */
    public interface HandoffRouter {
        /** Sends a target to another camera; false when that camera is unknown. */
        boolean send(String toCamera, Handoff handoff);

        /** Tells {@code toCamera} that {@code byCamera} acquired the target it handed over. */
        void acquired(String toCamera, String byCamera);
    }

    /** A snapshot for the API. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    /** A camera's state; its position is null, and {@code error} says why, while the camera does not answer. */
    public record Status(String camera, String stream, String mode, String policy, String followBy, Long targetId,
                         String targetLabel, Double panDeg, Double tiltDeg, Double zoom, boolean moving,
                         long manualUntilMs, int tracks, DelayCalibration.Fit calibration, String error) {
    }

    private final String cameraId;
    private final PtzConfig.Camera config;
    private final PtzConfig.Control control;
    private final PtzDriver driver;
    private final Consumer<PtzCommand> sink;
    private final LongSupplier clockMs;
    private final HandoffRouter router;
    private final AppearanceSource appearance;
    private final DelayCalibration calibration;
    private final double mountSign;
    private final Map<Long, Track> tracks = new HashMap<>();
    private final Set<Long> released = new HashSet<>();
    /** Tracks handed to a neighbour: never followed again while they stay in the picture. */
    private final Set<Long> handedOff = new HashSet<>();
    private final ConcurrentLinkedQueue<Handoff> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> acquiredBy = new ConcurrentLinkedQueue<>();
    private final StatusHistory history = new StatusHistory();
    private final Pid panPid;
    private final Pid tiltPid;
    private final Ema panEma;
    private final Ema tiltEma;

    private Mode mode;
    private Policy policy;
    private FollowBy followBy;
    private Long wantedId;
    private Set<String> labels;
    private long manualUntilMs;
    private Long targetId;
    private String targetLabel;
    private Handoff expected;
    private long lastAimMs;
    /** When a handed-off target was last acquired: its velocity, measured while this camera slewed to it, settles first. */
    private long acquiredMs = Long.MIN_VALUE / 2;
    /** The track handed to a neighbour, followed on until the neighbour has it (then this camera goes home). */
    private Long handingTrack;
    private long handingSinceMs;
    private boolean home = true;
    private long lastFrameTs;
    /** Seconds between the last two frames, the loop's time step. */
    private double frameDt = 1.0 / 15;
    private long lastCommandMs = Long.MIN_VALUE / 2;
    private double[] sent = {0, 0, 0};
    private Optics optics;

    public CameraController(String cameraId, PtzConfig.Camera config, PtzDriver driver, Consumer<PtzCommand> sink,
                            LongSupplier clockMs, HandoffRouter router, AppearanceSource appearance) {
        this.cameraId = cameraId;
        this.config = config;
        this.control = config.control();
        this.driver = driver;
        this.sink = sink;
        this.clockMs = clockMs;
        this.router = router;
        this.appearance = appearance;
        this.calibration = new DelayCalibration(control.actuationDelay().toMillis() / 1000.0);
        this.mountSign = "ceiling".equals(config.mounting()) ? -1 : 1;
        this.panPid = new Pid(control.kp(), control.ki(), control.kd(), control.maxPanSpeed());
        this.tiltPid = new Pid(control.kp(), control.ki(), control.kd(), control.maxTiltSpeed());
        this.panEma = new Ema(control.emaAlpha());
        this.tiltEma = new Ema(control.emaAlpha());
        this.mode = Mode.parse(control.mode());
        this.policy = Policy.parse(control.policy());
        this.followBy = FollowBy.parse(control.followBy());
        this.labels = Set.copyOf(control.labels().orElse(List.of()));
        this.lastAimMs = clockMs.getAsLong();
    }

    public String cameraId() {
        return cameraId;
    }

    public String stream() {
        return config.stream();
    }

    public PtzDriver driver() {
        return driver;
    }

    public DelayCalibration calibration() {
        return calibration;
    }

    /** Changes mode, policy and target selection; null arguments keep the current value. */
    public synchronized void configure(Mode newMode, Policy newPolicy, FollowBy newFollowBy, Long newTargetId,
                                       List<String> newLabels) {
        if (newMode != null) {
            manualUntilMs = 0; // an explicit mode ends a manual hold: "auto" means now
        }
        if (newMode != null && newMode != mode) {
            mode = newMode;
            if (mode == Mode.OFF) {
                command("stop", null, 0, 0, 0, null);
            }
        }
        if (newPolicy != null) {
            policy = newPolicy;
        }
        if (newFollowBy != null) {
            followBy = newFollowBy;
        }
        if (newTargetId != null) {
            wantedId = newTargetId;
            followBy = newFollowBy != null ? newFollowBy : FollowBy.ID;
            targetId = null;
        }
        if (newLabels != null) {
            labels = Set.copyOf(newLabels);
        }
        resetLoop();
    }

    /** A move from the API: it is done at once and holds automatic control off for the manual hold time. */
    public synchronized void manual(Runnable move, String command, Double pan, Double tilt, Double zoom) {
        manualUntilMs = clockMs.getAsLong() + control.manualHold().toMillis();
        move.run();
        sent = new double[]{0, 0, 0};
        resetLoop();
        PtzStatus s = driver.status();
        publish(command, null, pan, tilt, zoom, s, null);
    }

    /** Receives a target from a neighbour (any thread); it is acted on at the next frame or tick. */
    public void offer(Handoff handoff) {
        inbox.add(handoff);
    }

    /** The neighbour {@code camera} acquired the target this camera handed it (any thread). */
    public void acquiredBy(String camera) {
        acquiredBy.add(camera);
    }

    /** Periodic work: pending handoffs, the return home, and the state report. */
    public synchronized void tick(boolean report) {
        long now = clockMs.getAsLong();
        history.add(now, driver.status());
        drainInbox(now);
        if (automatic(now) && targetIdle(now) && !home && now - lastAimMs > control.returnHomeAfter().toMillis()) {
            goHome(null);
        }
        if (report) {
            publish("state", null, null, null, null, driver.status(), null);
        }
    }

    /** One processed frame of this camera's stream. */
    public synchronized void onFrame(ProcessedFrame frame) {
        long now = clockMs.getAsLong();
        if (frame.width() <= 0 || frame.height() <= 0) {
            return;
        }
        if (optics == null || optics.width() != frame.width() || optics.height() != frame.height()) {
            optics = new Optics(config.hfovDeg(), frame.width(), frame.height());
        }
        PtzStatus status = driver.status();
        history.add(now, status);
        updateTracks(frame, history.at(frame.captureTs(), status));
        drainInbox(now);
        if (!automatic(now)) {
            return;
        }
        Optional<Aim> aim = policy == Policy.CENTER_GROUP ? group() : follow(now);
        if (aim.isEmpty()) {
            targetId = null;
            if (!isZero(sent)) {
                command("stop", frame, 0, 0, 0, null);
                resetLoop();
            }
            if (!home && targetIdle(now) && now - lastAimMs > control.returnHomeAfter().toMillis()) {
                goHome(frame);
            }
            return;
        }
        lastAimMs = now;
        home = false;
        steer(aim.get(), status, frame, now);
        if (policy == Policy.HANDOFF && targetId != null) {
            maybeHandOff(tracks.get(targetId), status, frame, now);
        }
    }

    public synchronized Status status() {
        PtzStatus s;
        try {
            s = driver.status();
        } catch (PtzException e) {
            // one camera that does not answer must not hide the others' state from a listing
            return new Status(cameraId, config.stream(), mode.wire(), policy.wire(), followBy.wire(), targetId,
                    targetLabel, null, null, null, false, manualUntilMs, tracks.size(), calibration.fit(), e.getMessage());
        }
        return new Status(cameraId, config.stream(), mode.wire(), policy.wire(), followBy.wire(), targetId, targetLabel,
                s.panDeg(), s.tiltDeg(), s.zoom(), s.moving(), manualUntilMs, tracks.size(), calibration.fit(), null);
    }

    /**
     * What the loop aims at: its bearing at capture time and world velocity (degrees, degrees/s), and its height as a
     * fraction of the picture's.
     */
    private record Aim(double panDeg, double tiltDeg, double heightFraction, double panRate, double tiltRate) {
    }

    private boolean automatic(long now) {
        return mode == Mode.AUTO && now >= manualUntilMs;
    }

    private boolean targetIdle(long now) {
        return expected == null || now - expected.timeMs() > HANDOFF_EXPIRY_MS;
    }

    private void updateTracks(ProcessedFrame frame, PtzStatus status) {
        long ts = frame.captureTs();
        double dt = lastFrameTs == 0 ? frameDt : Math.max(0.001, Math.min(1, (ts - lastFrameTs) / 1000.0));
        frameDt = dt;
        lastFrameTs = ts;
        double halfW = frame.width() / 2.0;
        double halfH = frame.height() / 2.0;
        for (TrackedObject o : frame.objects() == null ? List.<TrackedObject>of() : frame.objects()) {
            if (!labels.isEmpty() && !labels.contains(o.label())) {
                continue;
            }
            MaskGeometry g = MaskGeometry.of(o);
            if (g == null) {
                continue;
            }
            Track t = tracks.computeIfAbsent(o.id(), id -> new Track(id, ts));
            double trackDt = t.lastSeenTs == 0 ? dt : Math.max(0.001, Math.min(1, (ts - t.lastSeenTs) / 1000.0));
            t.label = o.label();
            t.left = g.left();
            t.right = g.right();
            t.top = g.top();
            t.bottom = g.bottom();
            t.height = g.height();
            t.area = o.area();
            t.lastSeenTs = ts;
            t.sizeDeg = optics.degrees(Math.max(g.right() - g.left(), g.height()), status.zoom());
            t.pan.update(status.panDeg() + mountSign * optics.degrees(g.cx() - halfW, status.zoom()), trackDt);
            t.tilt.update(status.tiltDeg() - mountSign * optics.degrees(g.cy() - halfH, status.zoom()), trackDt);
            if (t.origin == null) {
                t.origin = new double[]{t.pan.position(), t.tilt.position()};
                Track target = followed();
                if (target != null && nearNewcomer(target, t)) {
                    t.beside = target.appearance; // before whatever the split does to the target's model
                }
            }
            if (wantsAppearance(t)) {
                float[] h = appearance.histogram(ts, o, frame.width(), frame.height());
                // a picture unlike the model is not folded in: an occluder, a partial mask, or the ghost a standing
                // object leaves behind when it walks off (the background's colours under the old track)
                if (h != null && (t.appearance == null
                        || ColourHistogram.similarity(t.appearance, h) >= config.appearance().minSimilarity())) {
                    t.appearance = ColourHistogram.blend(t.appearance, h, APPEARANCE_ALPHA);
                }
            }
            if (t.speed() > control.stationarySpeed()) {
                t.lastMovedTs = ts;
                released.remove(t.id);
            } else if (ts - t.lastMovedTs > control.stationaryRelease().toMillis() && released.add(t.id)) {
                LOG.infof("%s: releasing target %d, stationary for %d s", cameraId, t.id,
                        control.stationaryRelease().toSeconds());
            }
        }
        for (Iterator<Track> it = tracks.values().iterator(); it.hasNext(); ) {
            Track t = it.next();
            if (ts - t.lastSeenTs > TRACK_TTL_MS) {
                it.remove();
                released.remove(t.id);
                handedOff.remove(t.id);
            }
        }
    }

    /**
     * Colours are only worth their cost under {@code handoff}: for the followed target, the candidates of a handoff, and
     * those of a re-lock.
     */
    private boolean wantsAppearance(Track t) {
        if (policy != Policy.HANDOFF) {
            return false;
        }
        Track target = followed();
        return target != null && (target == t || nearNewcomer(target, t))
                || expected != null && expected.label().equals(t.label);
    }

    /** The followed target's track; null when none is followed. */
    private Track followed() {
        return targetId == null ? null : tracks.get(targetId);
    }

    /** A track of the target's label at most {@link #RELOCK_AGE_MS} old that appeared within reach of the target. */
    private boolean nearNewcomer(Track target, Track t) {
        return t != target && t.label.equals(target.label) && lastFrameTs - t.firstSeenTs <= RELOCK_AGE_MS
                && distanceFromOrigin(target, t) <= RELOCK_REACH * target.sizeDeg;
    }

    /** Degrees from where {@code t} first showed to where {@code target} is. */
    private static double distanceFromOrigin(Track target, Track t) {
        return Math.hypot(t.origin[0] - target.pan.position(), t.origin[1] - target.tilt.position());
    }

    private Optional<Aim> follow(long now) {
        Track chosen = pick(now);
        if (chosen == null) {
            return Optional.empty();
        }
        if (!chosen.label.equals(targetLabel) || targetId == null || targetId != chosen.id) {
            LOG.debugf("%s: following %d (%s)", cameraId, chosen.id, chosen.label);
        }
        targetId = chosen.id;
        targetLabel = chosen.label;
        return Optional.of(new Aim(chosen.pan.position(), chosen.tilt.position(), chosen.height / optics.height(),
                chosen.pan.velocity(), chosen.tilt.velocity()));
    }

    private Track pick(long now) {
        List<Track> visible = tracks.values().stream()
                .filter(t -> t.lastSeenTs == lastFrameTs && !released.contains(t.id) && !handedOff.contains(t.id)).toList();
        if (expected != null) {
            if (now - expected.timeMs() > HANDOFF_EXPIRY_MS) {
                LOG.infof("%s: handed-off %s from %s not found", cameraId, expected.label(), expected.fromCamera());
                expected = null;
            } else {
                Track match = matchHandoff(visible, now);
                if (match == null) {
                    return null; // looking where the target should appear; nothing else is followed meanwhile
                }
                LOG.infof("%s: acquired %s handed off by %s as track %d (colour similarity %s)", cameraId,
                        expected.label(), expected.fromCamera(), match.id, similarityText(expected.appearance(), match));
                router.acquired(expected.fromCamera(), cameraId);
                expected = null;
                acquiredMs = now;
                return match;
            }
        }
        if (targetId != null) {
            for (Track t : visible) {
                if (t.id == targetId) {
                    return relock(t, visible);
                }
            }
        }
        return switch (followBy) {
            case ID -> visible.stream().filter(t -> wantedId != null && t.id == wantedId).findFirst().orElse(null);
            case LARGEST -> visible.stream().max(Comparator.comparingLong(t -> t.area)).orElse(null);
            case FASTEST -> visible.stream().filter(t -> t.speed() > control.stationarySpeed())
                    .max(Comparator.comparingDouble(Track::speed)).orElse(null);
        };
    }

    /**
     * The visible track of the handed-off label that best fits the handoff, inside a position gate around where the
     * target should be at the latest frame's capture. With colours on both sides, a candidate less similar than {@code min-similarity} is
     * rejected however well it is placed, and the score mixes distance (over the gate) and colour dissimilarity by
     * {@code weight}; without them (no picture at hand) the nearest wins.
     */
    private Track matchHandoff(List<Track> visible, long now) {
        // the tracks' bearings are those of the latest frame's capture: compare them with the prediction for then
        double[] p = expected.predicted(lastFrameTs);
        double gate = HANDOFF_GATE_DEG + 0.5 * Math.hypot(expected.panRate(), expected.tiltRate()) * (now - expected.timeMs()) / 1000.0;
        PtzConfig.Appearance settings = config.appearance();
        Track best = null;
        double bestScore = Double.MAX_VALUE;
        for (Track t : visible) {
            double d = Math.hypot(t.pan.position() - p[0], t.tilt.position() - p[1]);
            if (!t.label.equals(expected.label()) || d >= gate) {
                continue;
            }
            double score = d / gate;
            double similarity = similarity(expected.appearance(), t);
            if (!Double.isNaN(similarity)) {
                if (similarity < settings.minSimilarity()) {
                    LOG.debugf("%s: track %d at %.1f deg from the handed-off %s, colour similarity %.2f: not it",
                            cameraId, t.id, d, expected.label(), similarity);
                    continue;
                }
                score = (1 - settings.weight()) * score + settings.weight() * (1 - similarity);
            }
            if (score < bestScore) {
                best = t;
                bestScore = score;
            }
        }
        if (best != null) {
            targetLabel = expected.label();
        }
        return best;
    }

    /**
     * The target, or the object that walked off from it. A motion tracker absorbs a standing object into its
     * background; when the object walks off, the old track stays on the ghost left where it stood (jittering as the
     * two part) and the walker comes back as a new track. So a newcomer near the target that moves away from it much
     * faster than it moves takes over, and the old one is released. Only an older target than any newcomer passes on:
     * a new track's velocity is not yet to be trusted, and a target taken over this way is not given straight back.
     * When the target had colours as the newcomer showed, the newcomer must have them too (taken from its first frame)
     * and must not look unlike them; the target's own model is no yardstick after the split, as the ghost drifts it.
     */
    private Track relock(Track target, List<Track> visible) {
        if (lastFrameTs - target.firstSeenTs <= RELOCK_AGE_MS) {
            return target;
        }
        Track best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Track t : visible) {
            if (!nearNewcomer(target, t)) {
                continue;
            }
            double d = distanceFromOrigin(target, t);
            boolean looksAlike = t.beside == null || similarity(t.beside, t) >= config.appearance().relockMinSimilarity();
            boolean leaves = t.speed() > control.stationarySpeed() && t.speed() > RELOCK_SPEED_RATIO * target.speed();
            if (leaves && looksAlike && d < bestDistance) {
                best = t;
                bestDistance = d;
            }
        }
        if (best == null) {
            return target;
        }
        LOG.infof("%s: target %d stays behind; following track %d, which walked off from it (colour similarity %s)",
                cameraId, target.id, best.id, similarityText(best.beside, best));
        released.add(target.id);
        return best;
    }

    /** Colour similarity of a track with a reference; NaN when either has no colours. */
    private static double similarity(float[] reference, Track t) {
        return reference == null || t.appearance == null ? Double.NaN : ColourHistogram.similarity(reference, t.appearance);
    }

    private static String similarityText(float[] reference, Track t) {
        double s = similarity(reference, t);
        return Double.isNaN(s) ? "unknown" : String.format(Locale.ROOT, "%.2f", s);
    }

    private Optional<Aim> group() {
        List<Track> visible = tracks.values().stream()
                .filter(t -> t.lastSeenTs == lastFrameTs && !released.contains(t.id)).toList();
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        double left = Double.MAX_VALUE;
        double top = Double.MAX_VALUE;
        double right = -Double.MAX_VALUE;
        double bottom = -Double.MAX_VALUE;
        double panRate = 0;
        double tiltRate = 0;
        for (Track t : visible) {
            left = Math.min(left, t.left);
            right = Math.max(right, t.right);
            top = Math.min(top, t.top);
            bottom = Math.max(bottom, t.bottom);
            panRate += t.pan.velocity() / visible.size();
            tiltRate += t.tilt.velocity() / visible.size();
        }
        targetId = null;
        targetLabel = visible.size() == 1 ? visible.get(0).label : "group";
        // frame the box with its margin: the zoom loop keeps the framed height in the band, so the box's width counts
        // through the picture's aspect ratio when it is the larger side
        double aspect = (double) optics.height() / optics.width();
        double framed = Math.max(bottom - top, (right - left) * aspect) * (1 + control.groupMargin());
        PtzStatus then = history.at(lastFrameTs, driver.status());
        double pan = then.panDeg() + mountSign * optics.degrees((left + right) / 2 - optics.width() / 2.0, then.zoom());
        double tilt = then.tiltDeg() - mountSign * optics.degrees((top + bottom) / 2 - optics.height() / 2.0, then.zoom());
        return Optional.of(new Aim(pan, tilt, framed / optics.height(), panRate, tiltRate));
    }

    private void steer(Aim aim, PtzStatus status, ProcessedFrame frame, long now) {
        double zoom = status.zoom();
        double halfHfov = optics.hfovDeg(zoom) / 2;
        double halfVfov = optics.vfovDeg(zoom) / 2;
        double panFf = Math.abs(aim.panRate()) > control.stationarySpeed() ? aim.panRate() : 0;
        double tiltFf = Math.abs(aim.tiltRate()) > control.stationarySpeed() ? aim.tiltRate() : 0;
        // the error when this command acts: the target moved on since capture and moves during the actuation delay,
        // the camera keeps its current speed over the delay
        double now2capture = Math.max(0, (now - frame.captureTs()) / 1000.0);
        double panNow = aim.panDeg() - status.panDeg();
        double tiltNow = aim.tiltDeg() - status.tiltDeg();
        double delay = calibration.delaySeconds(Math.hypot(panNow, tiltNow));
        double panErr = panNow + panFf * (now2capture + delay) - sent[0] * control.maxPanSpeed() * delay;
        double tiltErr = tiltNow + tiltFf * (now2capture + delay) - sent[1] * control.maxTiltSpeed() * delay;
        double panRate = axis(panPid, panEma, panErr, halfHfov, panFf, control.maxPanSpeed(), frameDt);
        double tiltRate = axis(tiltPid, tiltEma, tiltErr, halfVfov, tiltFf, control.maxTiltSpeed(), frameDt);
        double zoomSpeed = zoomSpeed(aim, panNow / halfHfov, tiltNow / halfVfov);
        double[] speeds = {panRate / control.maxPanSpeed(), tiltRate / control.maxTiltSpeed(), zoomSpeed};
        if (changed(speeds)) {
            command("move_relative", frame, speeds[0], speeds[1], speeds[2], targetId);
        }
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

    /** Keeps the aim's height in the band, and widens the view when the aim nears the edge. */
    private double zoomSpeed(Aim aim, double panOffset, double tiltOffset) {
        if (Math.max(Math.abs(panOffset), Math.abs(tiltOffset)) > EDGE_ZOOM_OUT) {
            return -0.5;
        }
        double fraction = aim.heightFraction();
        double low = control.heightLow();
        double high = control.heightHigh();
        if (fraction >= low && fraction <= high) {
            return 0;
        }
        double wanted = Math.sqrt(low * high);
        double speed = Math.log(wanted / Math.max(1e-3, fraction)) / Math.log(control.maxZoomRate());
        return Math.max(-1, Math.min(1, speed));
    }

    /**
     * Hands the target to the neighbour on the side it is leaving by: the camera is at its pan limit on that side, the
     * target is beyond it one second ahead and walks that way, and it has been followed long enough for its velocity
     * to be trusted (a target just acquired from a neighbour is never sent straight back).
     */
    private void maybeHandOff(Track t, PtzStatus status, ProcessedFrame frame, long now) {
        if (t == null || frame.captureTs() - t.firstSeenTs < HANDOFF_MIN_TRACK_MS || now - acquiredMs < HANDOFF_MIN_TRACK_MS) {
            return;
        }
        if (handingTrack != null) {
            if (now - handingSinceMs < HANDOFF_EXPIRY_MS) {
                return; // already offered: keep watching it until the neighbour has it
            }
            handingTrack = null; // never acquired: the target is still ours, offer it again if it keeps leaving
        }
        double panAhead = t.pan.predict(1.0);
        double v = t.pan.velocity();
        String side = null;
        if (status.panDeg() >= config.panMax() - LIMIT_DEG && panAhead > config.panMax() && v > control.stationarySpeed()) {
            side = "right";
        } else if (status.panDeg() <= config.panMin() + LIMIT_DEG && panAhead < config.panMin() && v < -control.stationarySpeed()) {
            side = "left";
        }
        if (side == null) {
            return;
        }
        for (Map.Entry<String, String> n : config.neighbours().entrySet()) {
            if (n.getValue().equals(side)) {
                // the bearing is the one at the frame's capture, 100-300 ms ago: the prediction starts from then
                Handoff h = new Handoff(cameraId, t.label, t.pan.position(), t.tilt.position(), t.pan.velocity(),
                        t.tilt.velocity(), frame.captureTs(), t.appearance == null ? null : t.appearance.clone());
                if (router.send(n.getKey(), h)) {
                    LOG.infof("%s: handing %s (track %d) to %s at pan %.1f", cameraId, t.label, t.id, n.getKey(), h.panDeg());
                    handingTrack = t.id;
                    handingSinceMs = now;
                }
                return;
            }
        }
    }

    private void drainInbox(long now) {
        for (String by; (by = acquiredBy.poll()) != null; ) {
            if (handingTrack != null) {
                LOG.infof("%s: %s has the target; going home", cameraId, by);
                handedOff.add(handingTrack);
                handingTrack = null;
                targetId = null;
                if (automatic(now)) {
                    goHome(null);
                }
            }
        }
        for (Handoff h; (h = inbox.poll()) != null; ) {
            if (mode != Mode.AUTO) {
                continue;
            }
            expected = h;
            // a neighbour that re-found the target under a new id hands over what this camera already follows:
            // confirm it and keep it, rather than drop it to turn and look for it
            Track current = followed();
            if (current != null && current.lastSeenTs == lastFrameTs && matchHandoff(List.of(current), now) == current) {
                LOG.infof("%s: already following the %s %s hands over (track %d)", cameraId, h.label(), h.fromCamera(),
                        current.id);
                router.acquired(h.fromCamera(), cameraId);
                expected = null;
                continue;
            }
            targetId = null;
            PtzStatus s = driver.status();
            double[] p = h.predicted(now + arrivalMs(h.predicted(now)[0] - s.panDeg()));
            driver.moveTo(p[0], p[1], s.zoom());
            sent = new double[]{0, 0, 0};
            resetLoop();
            home = false;
            lastAimMs = now;
            publish("move_to", null, p[0], p[1], s.zoom(), s, null);
        }
    }

    /**
     * How long until a move of {@code distanceDeg} has the camera there: the fitted delay, which grows with the
     * distance; before a fit, the default delay plus the slew at full speed (a handoff often crosses 40 degrees).
     */
    private long arrivalMs(double distanceDeg) {
        double slew = calibration.fit() == null ? Math.abs(distanceDeg) / control.maxPanSpeed() : 0;
        return Math.round((calibration.delaySeconds(distanceDeg) + slew) * 1000);
    }

    private void goHome(ProcessedFrame frame) {
        driver.goPreset(1);
        sent = new double[]{0, 0, 0};
        resetLoop();
        home = true;
        publish("go_preset", frame, null, null, null, driver.status(), null);
    }

    private boolean changed(double[] speeds) {
        long now = clockMs.getAsLong();
        if (now - lastCommandMs < control.commandInterval().toMillis()) {
            return false;
        }
        if (!isZero(speeds) && now - lastCommandMs >= KEEP_ALIVE_MS) {
            return true;
        }
        for (int i = 0; i < 3; i++) {
            boolean toOrFromZero = (speeds[i] == 0) != (sent[i] == 0);
            if (toOrFromZero || Math.abs(speeds[i] - sent[i]) >= SPEED_STEP) {
                return true;
            }
        }
        return false;
    }

    private void command(String name, ProcessedFrame frame, double pan, double tilt, double zoom, Long target) {
        if (pan == 0 && tilt == 0 && zoom == 0) {
            driver.stop();
        } else {
            driver.moveRelative(pan, tilt, zoom);
        }
        sent = new double[]{pan, tilt, zoom};
        lastCommandMs = clockMs.getAsLong();
        publish(name, frame, pan, tilt, zoom, driver.status(), target);
    }

    private void publish(String name, ProcessedFrame frame, Double a, Double b, Double c, PtzStatus s, Long target) {
        sink.accept(new PtzCommand(PtzCommand.SCHEMA, cameraId, config.stream(),
                frame == null ? 0 : frame.frameNumber(), frame == null ? 0 : frame.captureTs(), name, policy.wire(),
                name.equals("move_relative") ? a : null, name.equals("move_relative") ? b : null,
                name.equals("move_relative") ? c : null, s.panDeg(), s.tiltDeg(), s.zoom(),
                target, mode.wire(), targetLabel, System.currentTimeMillis()));
    }

    private void resetLoop() {
        panPid.reset();
        tiltPid.reset();
        panEma.reset();
        tiltEma.reset();
    }

    private static boolean isZero(double[] v) {
        return v[0] == 0 && v[1] == 0 && v[2] == 0;
    }
}
