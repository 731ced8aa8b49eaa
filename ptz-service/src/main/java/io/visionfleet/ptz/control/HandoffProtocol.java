package io.visionfleet.ptz.control;

import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One camera's side of passing targets between neighbours. Sending: at its pan limit, with the target beyond it one
 * second ahead and walking that way, the camera offers the target to the neighbour on that side and keeps watching it
 * until the neighbour reports the acquisition, updating the neighbour each frame on where it sees it. Receiving: the
 * camera expects the offered target where the latest update (or the offer) predicts it, inside a gate growing with
 * time, and matches the visible tracks of its label by position and colours, leaving out those it saw elsewhere when
 * the offer came; a target it already follows is confirmed at once. Offers, updates and acquisitions arrive from any
 * thread and are acted on by the camera's own thread.
 */
final class HandoffProtocol {
    private static final Logger LOG = Logger.getLogger(HandoffProtocol.class);
    /** A handed-off target is looked for within this many degrees of where it should be (plus growth with time). */
    static final double GATE_DEG = 6;
    static final long EXPIRY_MS = 6000;
    /** A target must have been followed this long (and a received one held this long) before it is handed on. */
    static final long MIN_TRACK_MS = 1000;
    /** Within this of its pan limit the camera counts as at the limit. */
    static final double LIMIT_DEG = 2;
    /** Degrees/s of camera turn above which a frame's bearings are not used to acquire a handed-off target. */
    static final double MAX_SLEW = 20;

    private final String cameraId;
    private final PtzConfig.Camera config;
    private final CameraController.HandoffRouter router;
    private final DelayCalibration calibration;
    private final ConcurrentLinkedQueue<Handoff> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> acquiredBy = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Handoff> updates = new ConcurrentLinkedQueue<>();
    /** The offer as it came: its time starts the expiry, its prediction judges where tracks were then. */
    private Handoff offered;
    /** The offer, or the sender's latest update of where it sees the target: what candidates are matched against. */
    private Handoff expected;
    /**
     * Where this camera saw each track of its latest frame when the offer came (pan, tilt), and that frame's capture:
     * one seen then beyond {@link #GATE_DEG} of where the sender saw the target is someone else, wherever it walks later
     * (a look-alike crossing the target's way towards where it is predicted). Empty when the camera turned too fast
     * then for its bearings to be trusted.
     */
    private Map<Long, double[]> witnessed = Map.of();
    private long witnessedTs;
    /** When a handed-off target was last acquired: its velocity, measured while this camera slewed to it, settles first. */
    private long acquiredMs = Long.MIN_VALUE / 2;
    /** The track handed to a neighbour, followed on until the neighbour has it (then this camera goes home). */
    private Long handingTrack;
    private long handingLineage;
    private String handingTo;
    private long handingSinceMs;

    HandoffProtocol(String cameraId, PtzConfig.Camera config, CameraController.HandoffRouter router,
                    DelayCalibration calibration) {
        this.cameraId = cameraId;
        this.config = config;
        this.router = router;
        this.calibration = calibration;
    }

    /** A target from a neighbour (any thread). */
    void offer(Handoff handoff) {
        inbox.add(handoff);
    }

    /** Where the sender of the expected target sees it now (any thread). */
    void update(Handoff handoff) {
        updates.add(handoff);
    }

    /** The neighbour {@code camera} acquired the target handed to it (any thread). */
    void acquiredBy(String camera) {
        acquiredBy.add(camera);
    }

    /** The next offer received, null when none is pending. */
    Handoff nextOffer() {
        return inbox.poll();
    }

    /**
     * The track this camera was handing on, once a neighbour has reported it acquired (then this camera lets it go);
     * null when no such report is pending.
     */
    Long nextHandedOn() {
        for (String by; (by = acquiredBy.poll()) != null; ) {
            if (handingTrack != null) {
                LOG.infof("%s: %s has the target; going home", cameraId, by);
                Long gone = handingTrack;
                handingTrack = null;
                return gone;
            }
        }
        return null;
    }

    /** The target expected from a neighbour, null when none. */
    Handoff expected() {
        return expected;
    }

    /** No handed-off target is expected, or it is overdue. */
    boolean idle(long now) {
        return expected == null || now - offered.timeMs() > EXPIRY_MS;
    }

    /**
     * Starts expecting {@code h}, noting where the tracks of the latest frame ({@code visible}, captured at
     * {@code frameTs} while the camera turned {@code slewDegPerS}) were. When {@code current}, the followed track seen in
     * the latest frame, is the handed-off target (a neighbour that re-found it under a new id hands back what this camera
     * follows), it is confirmed to the sender at once and true is returned: keep it. False: turn to look for it.
     */
    boolean expect(Handoff h, Track current, List<Track> visible, long now, long frameTs, double slewDegPerS) {
        expected = h;
        offered = h;
        witnessed = new HashMap<>();
        witnessedTs = frameTs;
        if (slewDegPerS <= MAX_SLEW) {
            visible.forEach(t -> witnessed.put(t.lineage, new double[]{t.pan.position(), t.tilt.position()}));
        }
        if (current != null && current.lastSeenTs == frameTs && match(List.of(current), now, frameTs) == current) {
            LOG.infof("%s: already following the %s %s hands over (track %d)", cameraId, h.label(), h.fromCamera(),
                    current.id);
            router.acquired(h.fromCamera(), cameraId);
            expected = null;
            return true;
        }
        return false;
    }

    /**
     * Takes the sender's updates of the expected target (others are dropped): where the sender, watching the target
     * until it is acquired, sees it now beats the offer's prediction, a second or more old by the time this camera has
     * turned (tuning seeds 411, 518: a look-alike walking beside the target was nearer the old prediction).
     */
    void takeUpdates() {
        for (Handoff u; (u = updates.poll()) != null; ) {
            if (expected != null && u.fromCamera().equals(expected.fromCamera()) && u.label().equals(expected.label())
                    && u.timeMs() >= expected.timeMs()) {
                expected = u;
            }
        }
    }

    /** Where to turn to meet {@code h} from pan {@code panDeg}: where it will be when the camera gets there. */
    double[] meetingPoint(Handoff h, long now, double panDeg) {
        return h.predicted(now + arrivalMs(h.predicted(now)[0] - panDeg));
    }

    /** A target is expected and not overdue (an overdue one is given up). */
    boolean awaiting(long now) {
        if (expected == null) {
            return false;
        }
        if (now - offered.timeMs() > EXPIRY_MS) {
            LOG.infof("%s: handed-off %s from %s not found", cameraId, expected.label(), expected.fromCamera());
            expected = null;
            return false;
        }
        return true;
    }

    /**
     * The expected target among {@code visible}, reported to the sender when found; null while not found, and while the
     * camera still turns fast ({@code slewDegPerS} at the frame's capture above {@link #MAX_SLEW}): bearings taken then
     * are off by degrees, enough to prefer a look-alike beside the target.
     */
    Track acquire(List<Track> visible, long now, long frameTs, double slewDegPerS) {
        Track match = slewDegPerS > MAX_SLEW ? null : match(visible, now, frameTs);
        if (match == null) {
            return null;
        }
        LOG.infof("%s: acquired %s handed off by %s as track %d (colour similarity %s)", cameraId,
                expected.label(), expected.fromCamera(), match.id, match.similarityText(expected.appearance()));
        router.acquired(expected.fromCamera(), cameraId);
        expected = null;
        acquiredMs = now;
        return match;
    }

    /**
     * The visible track of the handed-off label that best fits the handoff, inside a position gate around where the
     * target should be at the latest frame's capture. With colours on both sides, a candidate less similar than
     * {@code min-similarity} is rejected however well it is placed, and the score mixes distance (over the gate) and
     * colour dissimilarity by {@code weight}; without them (no picture at hand) the nearest wins.
     */
    private Track match(List<Track> visible, long now, long frameTs) {
        // the tracks' bearings are those of the latest frame's capture: compare them with the prediction for then
        double[] p = expected.predicted(frameTs);
        double gate = GATE_DEG + 0.5 * Math.hypot(expected.panRate(), expected.tiltRate()) * (now - expected.timeMs()) / 1000.0;
        PtzConfig.Appearance settings = config.appearance();
        Track best = null;
        double bestScore = Double.MAX_VALUE;
        for (Track t : visible) {
            double d = Math.hypot(t.pan.position() - p[0], t.tilt.position() - p[1]);
            if (!t.label.equals(expected.label()) || d >= gate) {
                continue;
            }
            if (seenElsewhere(t)) {
                LOG.debugf("%s: track %d was away from the handed-off %s when it was offered: not it", cameraId, t.id,
                        expected.label());
                continue;
            }
            double score = d / gate;
            double similarity = t.similarity(expected.appearance());
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
        return best;
    }

    /**
     * Whether this camera saw {@code t} when the offer came, beyond {@link #GATE_DEG} of where the target was then: the
     * same object is in the same place at the same time, whichever camera sees it (the gate allowing for the cameras'
     * bearing errors).
     */
    private boolean seenElsewhere(Track t) {
        double[] seen = witnessed.get(t.lineage);
        if (seen == null) {
            return false;
        }
        double[] target = offered.predicted(witnessedTs);
        return Math.hypot(seen[0] - target[0], seen[1] - target[1]) >= GATE_DEG;
    }

    /**
     * Hands the target to the neighbour on the side it is leaving by: the camera is at its pan limit on that side, the
     * target is beyond it one second ahead and walks that way, and it has been followed long enough for its velocity
     * to be trusted (a target just acquired from a neighbour is never sent straight back).
     */
    void maybeHandOff(Track t, PtzStatus status, long captureTs, long now) {
        if (t == null) {
            return;
        }
        if (handingTrack != null) {
            if (now - handingSinceMs < EXPIRY_MS) {
                // already offered: keep watching it until the neighbour has it, and tell the neighbour where it is
                if (t.lineage == handingLineage) {
                    handingTrack = t.id;
                    router.update(handingTo, handoffOf(t, captureTs));
                }
                return;
            }
            handingTrack = null; // never acquired: the target is still ours, offer it again if it keeps leaving
        }
        if (captureTs - t.firstSeenTs < MIN_TRACK_MS || now - acquiredMs < MIN_TRACK_MS) {
            return;
        }
        double panAhead = t.pan.predict(1.0);
        double v = t.pan.velocity();
        double still = config.control().stationarySpeed();
        String side = null;
        if (status.panDeg() >= config.panMax() - LIMIT_DEG && panAhead > config.panMax() && v > still) {
            side = "right";
        } else if (status.panDeg() <= config.panMin() + LIMIT_DEG && panAhead < config.panMin() && v < -still) {
            side = "left";
        }
        if (side == null) {
            return;
        }
        for (Map.Entry<String, String> n : config.neighbours().entrySet()) {
            if (n.getValue().equals(side)) {
                Handoff h = handoffOf(t, captureTs);
                if (router.send(n.getKey(), h)) {
                    LOG.infof("%s: handing %s (track %d) to %s at pan %.1f", cameraId, t.label, t.id, n.getKey(), h.panDeg());
                    handingTrack = t.id;
                    handingLineage = t.lineage;
                    handingTo = n.getKey();
                    handingSinceMs = now;
                }
                return;
            }
        }
    }

    /** {@code t} as handed on: the bearing is the one at the frame's capture, 100-300 ms ago; predictions start there. */
    private Handoff handoffOf(Track t, long captureTs) {
        return new Handoff(cameraId, t.label, t.pan.position(), t.tilt.position(), t.pan.velocity(), t.tilt.velocity(),
                captureTs, t.appearance == null ? null : t.appearance.clone());
    }

    /**
     * How long until a move of {@code distanceDeg} has the camera there: the fitted delay, which grows with the
     * distance; before a fit, the default delay plus the slew at full speed (a handoff often crosses 40 degrees).
     */
    private long arrivalMs(double distanceDeg) {
        double slew = calibration.fit() == null ? Math.abs(distanceDeg) / config.control().maxPanSpeed() : 0;
        return Math.round((calibration.delaySeconds(distanceDeg) + slew) * 1000);
    }
}
