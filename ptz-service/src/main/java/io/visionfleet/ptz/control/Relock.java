package io.visionfleet.ptz.control;

import io.visionfleet.ptz.config.PtzConfig;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The target, or the object that walked off from it. A motion tracker absorbs a standing object into its background;
 * when the object walks off, the old track stays on the ghost left where it stood (jittering as the two part) and the
 * walker comes back as a new track. So a newcomer near the target that moves away from it much faster than it moves
 * takes over, and the old one is released. Only an older target than any newcomer passes on: a new track's velocity is
 * not yet to be trusted, and a target taken over this way is not given straight back. When the target had colours as
 * the newcomer showed, the newcomer must have them too (taken from its first frame) and must not look unlike them; the
 * target's own model is no yardstick after the split, as the ghost drifts it.
 */
final class Relock {
    private static final Logger LOG = Logger.getLogger(Relock.class);
    /**
     * A target passes to a track at most this old that appeared within this many target sizes of it and moves away
     * more than this many times faster than it.
     */
    static final long AGE_MS = 2000;
    static final double REACH = 2;
    static final double SPEED_RATIO = 3;

    private final String cameraId;
    private final double stationarySpeed;
    private final double minSimilarity;

    Relock(String cameraId, PtzConfig.Camera config) {
        this.cameraId = cameraId;
        this.stationarySpeed = config.control().stationarySpeed();
        this.minSimilarity = config.appearance().relockMinSimilarity();
    }

    /** Whether {@code t}, seen for the first time, shows within reach of {@code target} and has its label. */
    static boolean appearsBeside(Track target, Track t) {
        return t != target && t.label.equals(target.label) && distanceFromOrigin(target, t) <= REACH * target.sizeDeg;
    }

    /**
     * A track at most {@link #AGE_MS} old (at {@code frameTs}) that first showed beside the target. Where the target
     * was then, not where it is now: a passer-by the target walks up to did not come out of it.
     */
    static boolean newcomerOf(Track target, Track t, long frameTs) {
        return t.emergedFrom != null && t.emergedFrom == target.id && frameTs - t.firstSeenTs <= AGE_MS;
    }

    /**
     * Whether {@code t}'s way since it first showed leads away from the target: one that walks off from a standing
     * target does; a passer-by that showed beside it and crossed its way, or walks past it, does not.
     */
    static boolean walkedAway(Track target, Track t) {
        double movedPan = t.pan.position() - t.origin[0];
        double movedTilt = t.tilt.position() - t.origin[1];
        return movedPan * (t.origin[0] - target.pan.position()) + movedTilt * (t.origin[1] - target.tilt.position()) > 0;
    }

    /** Degrees from where {@code t} first showed to where {@code target} is. */
    static double distanceFromOrigin(Track target, Track t) {
        return Math.hypot(t.origin[0] - target.pan.position(), t.origin[1] - target.tilt.position());
    }

    /** The track to follow on: {@code target}, or the newcomer that walked off from it (then the target is released). */
    Track relock(Track target, List<Track> visible, WorldTracks world) {
        long frameTs = world.lastFrameTs();
        if (frameTs - target.firstSeenTs <= AGE_MS) {
            return target;
        }
        Track best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Track t : visible) {
            if (!newcomerOf(target, t, frameTs)) {
                continue;
            }
            double d = distanceFromOrigin(target, t);
            boolean looksAlike = t.beside == null || t.similarity(t.beside) >= minSimilarity;
            boolean leaves = t.speed() > stationarySpeed && t.speed() > SPEED_RATIO * target.speed()
                    && walkedAway(target, t);
            if (leaves && looksAlike && d < bestDistance) {
                best = t;
                bestDistance = d;
            }
        }
        if (best == null) {
            return target;
        }
        LOG.infof("%s: target %d stays behind; following track %d, which walked off from it (colour similarity %s)",
                cameraId, target.id, best.id, best.similarityText(best.beside));
        world.release(target.id);
        return best;
    }
}
