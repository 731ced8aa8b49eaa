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
 * target's own model is no yardstick after the split, as the ghost drifts it. And a target gone from the picture is
 * re-found when a tracker reports it again under a new id (after an occluder, or after it stood and was absorbed).
 * A newcomer taken, as it showed, for another track shown again (one that went missing just before, where it could
 * have come out: a passer-by that walked behind the standing target; see {@link #shownAgain}) did not walk off from the
 * target, even once that track is forgotten.
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

    /**
     * Whether {@code t} may be the hidden target shown again under a new id, as a tracker reports an object it lost
     * behind an occluder or while it stood: a track of its label that first showed after the target was last seen,
     * within reach of the target's way from there (where it was last seen, on to where its velocity would have taken
     * it by then). A stopped target shows again where it was, a walking one further on.
     */
    static boolean reappearanceOf(Track hidden, Track t) {
        return t != hidden && t.label.equals(hidden.label) && t.firstSeenTs > hidden.lastSeenTs
                && distanceFromWay(hidden, t) <= REACH * hidden.sizeDeg;
    }

    /**
     * Degrees from where {@code t} first showed to {@code hidden}'s way: from where it was last seen to where its
     * velocity would have taken it by then, at most {@link WorldTracks#TTL_MS} on (a velocity measured as a target
     * stops or vanishes is not to be followed far).
     */
    private static double distanceFromWay(Track hidden, Track t) {
        double seconds = Math.min(t.firstSeenTs - hidden.lastSeenTs, WorldTracks.TTL_MS) / 1000.0;
        return distanceFromSegment(hidden, seconds, t.origin);
    }

    /** Degrees from {@code point} to the segment from {@code t}'s bearing to where it would be {@code seconds} later. */
    private static double distanceFromSegment(Track t, double seconds, double[] point) {
        double dx = t.pan.velocity() * seconds;
        double dy = t.tilt.velocity() * seconds;
        double px = point[0] - t.pan.position();
        double py = point[1] - t.tilt.position();
        double length2 = dx * dx + dy * dy;
        double along = length2 == 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / length2));
        return Math.hypot(px - along * dx, py - along * dy);
    }

    /** Degrees from where {@code t} first showed to where {@code target} is. */
    static double distanceFromOrigin(Track target, Track t) {
        return Math.hypot(t.origin[0] - target.pan.position(), t.origin[1] - target.tilt.position());
    }

    /**
     * The missing track that {@code t}, showing for the first time, is most likely shown again: among
     * {@code missing} not yet explaining another newcomer and within reach, one whose colours it shares (at least
     * {@code minSimilarity}, a handoff's bar) before the others, then the one whose way it showed nearest to; null
     * when none. Two people crossing vanish and show again at one spot, where position cannot tell them apart but
     * colours can (seed 414: the target, come out from behind a crosser, was taken for the crosser shown again and
     * re-found 2.1 s late).
     */
    static Track shownAgain(Track t, List<Track> missing, double minSimilarity) {
        Track best = null;
        boolean bestAlike = false;
        double bestDistance = Double.MAX_VALUE;
        for (Track h : missing) {
            if (h.continued || !reappearanceOf(h, t)) {
                continue;
            }
            boolean alike = t.similarity(h.appearance) >= minSimilarity; // false when either has no colours
            double d = distanceFromWay(h, t);
            if (alike && !bestAlike || alike == bestAlike && d < bestDistance) {
                best = h;
                bestAlike = alike;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Whether another track missing from the picture explains {@code t} better than {@code hidden}'s way does. */
    private static boolean betterExplained(Track hidden, Track t, List<Track> missing) {
        double d = distanceFromWay(hidden, t);
        return missing.stream().anyMatch(h -> h != hidden && reappearanceOf(h, t) && distanceFromWay(h, t) < d);
    }

    /**
     * The hidden target shown again under a new id, or null: the {@link #reappearanceOf reappearance} nearest its way
     * that does not look unlike the target's colours (when both have them) and is not better explained as another
     * missing track shown again (a passer-by that was behind the target or the same pillar). A newcomer taken, as it
     * showed, for the target shown again (its lineage) is the target, whatever else went missing since, and comes first
     * (round 5, seed 423: the target came out from behind a crosser next to where another person had just vanished, and
     * was re-found only 1.2 s later). The old id is forgotten and the new one takes its first sighting.
     */
    Track refind(Track hidden, List<Track> visible, WorldTracks world) {
        List<Track> missing = world.hidden();
        Track best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Track t : visible) {
            boolean continues = t.lineage == hidden.lineage;
            if (!reappearanceOf(hidden, t) || t.similarity(hidden.appearance) < minSimilarity
                    || !continues && betterExplained(hidden, t, missing)) {
                continue;
            }
            double d = continues ? -1 : distanceFromWay(hidden, t); // the target's own lineage before any distance
            if (d < bestDistance) {
                best = t;
                bestDistance = d;
            }
        }
        if (best != null) {
            LOG.infof("%s: hidden target %d shows again as track %d (colour similarity %s)", cameraId, hidden.id,
                    best.id, best.similarityText(hidden.appearance));
            world.forget(hidden.id);
            // the same object, followed since then: a handoff need not wait for the new id to age
            best.firstSeenTs = hidden.firstSeenTs;
            best.lineage = hidden.lineage;
        }
        return best;
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
            // another track shown again did not walk off from the target: judged as it showed, since the track it
            // continues is forgotten while the newcomer is still new (test seed 104's failure class)
            if (!newcomerOf(target, t, frameTs) || t.lineage != t.id) {
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
