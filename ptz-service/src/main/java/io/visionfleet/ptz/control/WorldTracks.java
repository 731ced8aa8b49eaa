package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.appearance.ColourHistogram;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The objects of one camera's picture as world tracks: each result's objects become Kalman-filtered bearings (the
 * camera's position at the frame's capture plus the offset in the picture), with size, extent, first and last sight,
 * colours when asked for, and two exclusions: targets released for standing still, and targets handed to a neighbour.
 * Tracks unseen for {@link #TTL_MS} are forgotten, the followed target after {@link #TARGET_TTL_MS} (when it vanished
 * at the picture's border) or {@link #HIDDEN_IN_VIEW_TTL_MS}. A new track that shows where a missing one's way led is
 * taken, as it shows, for that one shown again: it continues its {@link Track#lineage}.
 */
final class WorldTracks {
    private static final Logger LOG = Logger.getLogger(WorldTracks.class);
    /** Tracks unseen for this long are forgotten. */
    static final long TTL_MS = 2000;
    /**
     * The followed target is forgotten only after this long unseen: one that stands behind a pillar, or that a motion
     * tracker lost as it stood, is re-found when it shows again (see {@link Relock#refind}).
     */
    static final long TARGET_TTL_MS = 5000;
    /**
     * A followed target that vanished inside the picture is remembered this long: nothing says it left (tuning seed 218:
     * 5.2 s behind a pillar).
     */
    static final long HIDDEN_IN_VIEW_TTL_MS = 10000;
    /** A mask within this many pixels of the picture's border touches it. */
    private static final int BORDER_PX = 1;
    /** Weight of the newest frame in a track's colour model: slow, so one odd frame (a partial mask) barely moves it. */
    private static final double APPEARANCE_ALPHA = 0.2;

    private final String cameraId;
    private final PtzConfig.Camera config;
    private final PtzConfig.Control control;
    private final double mountSign;
    private final Map<Long, Track> tracks = new HashMap<>();
    private final Set<Long> released = new HashSet<>();
    /** Tracks handed to a neighbour: never followed again while they stay in the picture. */
    private final Set<Long> handedOff = new HashSet<>();
    private long lastFrameTs;
    /** Seconds between the last two frames, the loop's time step. */
    private double frameDt = 1.0 / 15;

    WorldTracks(String cameraId, PtzConfig.Camera config) {
        this.cameraId = cameraId;
        this.config = config;
        this.control = config.control();
        this.mountSign = "ceiling".equals(config.mounting()) ? -1 : 1;
    }

    /** Capture time of the latest frame. */
    long lastFrameTs() {
        return lastFrameTs;
    }

    /** Seconds between the last two frames. */
    double frameDt() {
        return frameDt;
    }

    int size() {
        return tracks.size();
    }

    /** The track of {@code id}; null when none (or {@code id} is null). */
    Track get(Long id) {
        return id == null ? null : tracks.get(id);
    }

    boolean released(long id) {
        return released.contains(id);
    }

    void release(long id) {
        released.add(id);
    }

    /** A track given to a neighbour: never followed again while it stays in the picture. */
    void handedOff(long id) {
        handedOff.add(id);
    }

    /**
     * Makes the tracks given to neighbours followable again: a neighbour handing a target over may be handing back the
     * one it was given (it stopped, or turned, short of that camera's side).
     */
    void takeBackHandedOff() {
        handedOff.clear();
    }

    /** Whether track {@code id} is in the latest frame. */
    boolean visible(Long id) {
        Track t = get(id);
        return t != null && t.lastSeenTs == lastFrameTs;
    }

    /** Track {@code id} when it is missing from the latest frame but not yet forgotten, released or handed on; else null. */
    Track hidden(long id) {
        Track t = tracks.get(id);
        return t == null || t.lastSeenTs == lastFrameTs || released.contains(id) || handedOff.contains(id) ? null : t;
    }

    /** Forgets track {@code id} at once: it showed again under another id. */
    void forget(long id) {
        tracks.remove(id);
        released.remove(id);
        handedOff.remove(id);
    }

    /** Tracks missing from the latest frame but not yet forgotten. */
    List<Track> hidden() {
        return tracks.values().stream().filter(t -> t.lastSeenTs != lastFrameTs).toList();
    }

    /** Tracks of the latest frame that may be followed: neither released nor handed to a neighbour. */
    List<Track> followable() {
        return tracks.values().stream()
                .filter(t -> t.lastSeenTs == lastFrameTs && !released.contains(t.id) && !handedOff.contains(t.id)).toList();
    }

    /** Tracks of the latest frame that are not released (a group keeps those handed on). */
    List<Track> unreleased() {
        return tracks.values().stream().filter(t -> t.lastSeenTs == lastFrameTs && !released.contains(t.id)).toList();
    }

    /**
     * Folds one result in.
     *
     * @param status       the camera's position at the frame's capture
     * @param targetId     the followed track (a newcomer beside it keeps its colours as they were)
     * @param wantsColours which tracks take colours from {@code appearance}
     */
    void update(ProcessedFrame frame, PtzStatus status, Optics optics, Set<String> labels, Long targetId,
                Predicate<Track> wantsColours, AppearanceSource appearance) {
        long ts = frame.captureTs();
        double dt = lastFrameTs == 0 ? frameDt : Math.max(0.001, Math.min(1, (ts - lastFrameTs) / 1000.0));
        frameDt = dt;
        lastFrameTs = ts;
        double halfW = frame.width() / 2.0;
        double halfH = frame.height() / 2.0;
        List<TrackedObject> objects = frame.objects() == null ? List.of() : frame.objects();
        Set<Long> shown = objects.stream().map(TrackedObject::id).collect(Collectors.toSet());
        for (TrackedObject o : objects) {
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
            t.atBorder = g.left() <= BORDER_PX || g.top() <= BORDER_PX || g.right() >= frame.width() - 1 - BORDER_PX
                    || g.bottom() >= frame.height() - 1 - BORDER_PX;
            t.sizeDeg = optics.degrees(Math.max(g.right() - g.left(), g.height()), status.zoom());
            t.pan.update(status.panDeg() + mountSign * optics.degrees(g.cx() - halfW, status.zoom()), trackDt);
            t.tilt.update(status.tiltDeg() - mountSign * optics.degrees(g.cy() - halfH, status.zoom()), trackDt);
            boolean newcomer = t.origin == null;
            if (newcomer) {
                t.origin = new double[]{t.pan.position(), t.tilt.position()};
                Track target = get(targetId);
                if (target != null && Relock.appearsBeside(target, t)) {
                    t.emergedFrom = target.id;
                    t.beside = target.appearance; // before whatever the split does to the target's model
                }
            }
            if (wantsColours.test(t)) {
                float[] h = appearance.histogram(ts, o, frame.width(), frame.height());
                // a picture unlike the model is not folded in: an occluder, a partial mask, or the ghost a standing
                // object leaves behind when it walks off (the background's colours under the old track)
                if (h != null && (t.appearance == null
                        || ColourHistogram.similarity(t.appearance, h) >= config.appearance().minSimilarity())) {
                    t.appearance = ColourHistogram.blend(t.appearance, h, APPEARANCE_ALPHA);
                }
            }
            if (newcomer) {
                // who it is decided as it shows, its first colours at hand, while the missing tracks that may explain
                // it are all remembered
                List<Track> missing = tracks.values().stream()
                        .filter(m -> !shown.contains(m.id) && ts - m.lastSeenTs <= memoryMs(m, targetId)).toList();
                Track before = Relock.shownAgain(t, missing, config.appearance().minSimilarity());
                if (before != null) {
                    before.continued = true;
                    t.lineage = before.lineage;
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
            if (ts - t.lastSeenTs > memoryMs(t, targetId)) {
                it.remove();
                released.remove(t.id);
                handedOff.remove(t.id);
            }
        }
    }

    /**
     * How long {@code t} is remembered unseen: the followed target longer, and longest when it vanished inside the
     * picture (behind something, or absorbed as it stood: it is still there) rather than at its border (it walked out).
     */
    private static long memoryMs(Track t, Long targetId) {
        if (targetId == null || t.id != targetId) {
            return TTL_MS;
        }
        return t.atBorder ? TARGET_TTL_MS : HIDDEN_IN_VIEW_TTL_MS;
    }
}
