package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.geom.Masks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Multi-object tracking by association in the style of ByteTrack. Per frame the caller runs {@link #compensate}
 * (camera moved), {@link #predict} (over the frames of the stream since the last one it was given), optionally
 * {@link #assign} (regions it already attributed), {@link #associate}, then starts or prompts tracks, and ends with
 * {@link #endFrame}, which advances the life cycle.
 *
 * <p>Association, in order: strong regions against confirmed and lost tracks by IoU, with colour breaking near-ties
 * (Hungarian assignment); weak
 * regions against the confirmed tracks left (they only extend tracks, never start them); strong regions left against
 * tentative tracks; then lost tracks take back strong regions near their prediction with a similar colour (an object
 * that reappears after an occlusion away from where the constant-velocity model put it). Unmatched regions lying
 * mostly inside a matched track's box are fragments of it and join its mask, unless they have drawn away from it as
 * objects of their own ({@link FragmentHistory}).
 */
public final class MultiObjectTracker {
    /** Share of an unmatched region inside a matched track's box that makes the region part of that track. */
    private static final double FRAGMENT_INSIDE = 0.6;
    /** A fragment is smaller than this share of its track's usual area; a larger region may be an object of its own. */
    private static final double FRAGMENT_MAX_SHARE = 0.5;
    /** Margin around a matched track's box, as a fraction of its size, within which fragments are looked for. */
    private static final double FRAGMENT_MARGIN = 0.15;
    /** Centre distance, in track sizes, within which a lost track may take a region back; grows while it is lost. */
    private static final double RECOVERY_GATE = 1.0;
    private static final double RECOVERY_GATE_PER_FRAME = 0.05;
    /** Largest BGR distance between a lost track's colour and a region it takes back. */
    private static final double RECOVERY_MAX_COLOUR = 90;
    /** Least share of a lost track's predicted box inside the frame; below it the object has left. */
    private static final double MIN_INSIDE_FRAME = 0.2;
    private static final double NO_MATCH = 1e6;
    private static final double INSIDE_WEIGHT = 0.5;
    /** Weight of colour difference in association cost, relative to IoU (the largest difference costs as much as 0.3 IoU). */
    private static final double COLOUR_WEIGHT = 0.3;
    private static final double MAX_COLOUR_DISTANCE = Math.sqrt(3) * 255;
    /** A region a lost track takes back must match its usual width or height at least this well. */
    private static final double RECOVERY_MIN_EXTENT = 0.6;

    private final ProcessorConfig.Tracker settings;
    private final int width;
    private final int height;
    private final List<Track> tracks = new ArrayList<>();
    private final Map<Track, Observation> pending = new LinkedHashMap<>();
    private final FragmentHistory fragments = new FragmentHistory();
    private long nextId = 1;
    /** Frames of the stream this frame's prediction covered: an unseen track has been missing that much longer. */
    private int steps = 1;

    public MultiObjectTracker(ProcessorConfig.Tracker settings, int width, int height) {
        this.settings = settings;
        this.width = width;
        this.height = height;
    }

    /** Every live track, in creation order. */
    public List<Track> tracks() {
        return Collections.unmodifiableList(tracks);
    }

    /** The camera moved: {@code h} (3x3 row-major) maps last frame's pixels to this frame's. */
    public void compensate(double[] h) {
        tracks.forEach(t -> t.warp(h));
        fragments.warp(h);
    }

    /**
     * Moves every track on by {@code elapsed} frames of the stream: a service over capacity skips frames, and the
     * objects moved in those too. Past {@code maxLostFrames} every unseen track is gone anyway, so no further.
     */
    public void predict(int elapsed) {
        steps = Math.min(elapsed, settings.maxLostFrames() + 1);
        tracks.forEach(t -> t.predict(steps));
    }

    /** Attributes {@code o} to {@code t} for this frame, ahead of association (e.g. one part of a split region). */
    public void assign(Track t, Observation o) {
        pending.put(t, o);
    }

    /** Associates this frame's regions with the tracks and updates the matched ones; returns the regions left over. */
    public List<Observation> associate(List<Observation> observations) {
        List<Observation> strong = new ArrayList<>();
        List<Observation> weak = new ArrayList<>();
        for (Observation o : observations) {
            (o.score() >= settings.highScore() ? strong : weak).add(o);
        }
        strong = matchByIou(free(t -> t.state() == TrackState.CONFIRMED || t.state() == TrackState.LOST), strong,
                settings.matchIou());
        weak = matchByIou(free(t -> t.state() == TrackState.CONFIRMED), weak, settings.weakMatchIou());
        strong = matchByIou(free(t -> t.state() == TrackState.TENTATIVE), strong, settings.matchIou());
        strong = recover(free(t -> t.state() == TrackState.LOST || t.state() == TrackState.CONFIRMED), strong);
        List<Observation> left = new ArrayList<>(strong);
        left.addAll(weak);
        left = absorbFragments(left);
        pending.forEach(Track::observe);
        pending.clear();
        return left;
    }

    /** Starts a tentative track at {@code o}; it is published once seen on enough consecutive frames. */
    public Track start(Observation o, String label) {
        Track t = new Track(o, TrackState.TENTATIVE);
        t.label(label);
        tracks.add(t);
        return t;
    }

    /** Creates a confirmed track at {@code o} at once, as a prompt does. */
    public Track create(Observation o, String label) {
        Track t = new Track(o, TrackState.TENTATIVE);
        t.confirm(nextId++);
        t.label(label);
        t.prompted(true);
        tracks.add(t);
        return t;
    }

    /** Takes {@code parts} away from the tracks they updated in this frame (a prompt gives them to another object). */
    public void release(List<Observation> parts) {
        for (Track t : tracks) {
            if (t.observation() != null && parts.contains(t.observation())) {
                t.dropObservation();
            }
        }
    }

    /** Moves {@code t} onto {@code o} (a prompt correcting it). */
    public void retarget(Track t, Observation o, String label) {
        t.reset(o);
        if (t.state() != TrackState.CONFIRMED) {
            t.confirm(t.id() == 0 ? nextId++ : t.id());
        }
        if (label != null) {
            t.label(label);
        }
        t.prompted(true);
    }

    /** Marks {@code t} as chosen by a prompt (confirming it if it was tentative) without moving it. */
    public void promote(Track t, String label) {
        if (t.state() == TrackState.TENTATIVE) {
            t.confirm(nextId++);
        }
        if (label != null) {
            t.label(label);
        }
        t.prompted(true);
    }

    /** Hides {@code t} from the results but keeps following it, so its region is not taken for a new object. */
    public void suppress(Track t) {
        t.suppress();
    }

    /** Ends {@code t} at once without reporting it (a suppressed track replaced by a new prompted one). */
    public void discard(Track t) {
        tracks.remove(t);
    }

    /** The published track with {@code id}, if it is live. */
    public Optional<Track> find(long id) {
        return tracks.stream().filter(t -> t.id() == id && id != 0).findFirst();
    }

    /** Tracks that count against the per-stream limit (every live one, suppressed ones too: they are still followed). */
    public int size() {
        return tracks.size();
    }

    /** Advances every track's life cycle after this frame; returns the ids of published tracks that ended. */
    public List<Long> endFrame() {
        List<Long> removed = new ArrayList<>();
        for (Iterator<Track> it = tracks.iterator(); it.hasNext(); ) {
            Track t = it.next();
            if (t.observation() != null) {
                if (t.state() == TrackState.TENTATIVE && t.hits() >= settings.confirmFrames()) {
                    t.confirm(nextId++);
                } else if (t.state() == TrackState.LOST) {
                    t.state(TrackState.CONFIRMED);
                }
            } else {
                t.miss(steps);
                switch (t.state()) {
                    case TENTATIVE -> t.state(TrackState.REMOVED);
                    case CONFIRMED -> t.state(TrackState.LOST);
                    case LOST -> {
                        if (t.missed() > settings.maxLostFrames() || leftTheFrame(t.box())) {
                            t.state(TrackState.REMOVED);
                        }
                    }
                    case REMOVED -> { }
                }
            }
            if (t.state() == TrackState.REMOVED) {
                if (t.id() != 0 && !t.suppressed()) {
                    removed.add(t.id());
                }
                it.remove();
            }
        }
        return removed;
    }

    private List<Track> free(Predicate<Track> which) {
        List<Track> list = new ArrayList<>();
        for (Track t : tracks) {
            if (!pending.containsKey(t) && which.test(t)) {
                list.add(t);
            }
        }
        return list;
    }

    private List<Observation> matchByIou(List<Track> pool, List<Observation> observations, double minIou) {
        if (pool.isEmpty() || observations.isEmpty()) {
            return observations;
        }
        double[][] cost = new double[pool.size()][observations.size()];
        for (int r = 0; r < pool.size(); r++) {
            Track t = pool.get(r);
            Box predicted = t.box();
            for (int c = 0; c < observations.size(); c++) {
                Observation o = observations.get(c);
                double similarity = similarity(predicted, o.box());
                // colour breaks near-ties: where two objects overlap, the region goes to the one it looks like
                cost[r][c] = similarity >= minIou
                        ? 1 - similarity + COLOUR_WEIGHT * colourDistance(t.colour(), o.colour()) / MAX_COLOUR_DISTANCE
                        : NO_MATCH;
            }
        }
        return accept(pool, observations, cost);
    }

    /**
     * IoU, or half the share of the region inside the predicted box when that is more: the visible part of an object
     * sliding behind something is small next to the whole box the track predicts, yet lies inside it.
     */
    static double similarity(Box predicted, Box region) {
        double inside = region.area() <= 0 ? 0 : predicted.intersection(region) / region.area();
        return Math.max(predicted.iou(region), INSIDE_WEIGHT * inside);
    }

    private List<Observation> recover(List<Track> pool, List<Observation> observations) {
        if (pool.isEmpty() || observations.isEmpty()) {
            return observations;
        }
        double[][] cost = new double[pool.size()][observations.size()];
        for (int r = 0; r < pool.size(); r++) {
            Track t = pool.get(r);
            Box predicted = t.box();
            double size = Math.sqrt(t.usualArea());
            double gate = RECOVERY_GATE + RECOVERY_GATE_PER_FRAME * t.missed();
            for (int c = 0; c < observations.size(); c++) {
                Observation o = observations.get(c);
                double distance = Math.hypot(o.box().centreX() - predicted.centreX(), o.box().centreY() - predicted.centreY()) / size;
                // partly hidden, the region may be narrow or low, but not both
                double extent = Math.max(o.box().width() / t.usualWidth(), o.box().height() / t.usualHeight());
                boolean plausible = distance <= gate && extent >= RECOVERY_MIN_EXTENT
                        && o.box().area() < 4 * t.usualArea()
                        && colourDistance(t.colour(), o.colour()) <= RECOVERY_MAX_COLOUR;
                cost[r][c] = plausible ? distance : NO_MATCH;
            }
        }
        return accept(pool, observations, cost);
    }

    private List<Observation> accept(List<Track> pool, List<Observation> observations, double[][] cost) {
        int[] assignment = Hungarian.solve(cost);
        boolean[] taken = new boolean[observations.size()];
        for (int r = 0; r < assignment.length; r++) {
            int c = assignment[r];
            if (c >= 0 && cost[r][c] < NO_MATCH) {
                pending.put(pool.get(r), observations.get(c));
                taken[c] = true;
            }
        }
        List<Observation> left = new ArrayList<>();
        for (int c = 0; c < observations.size(); c++) {
            if (!taken[c]) {
                left.add(observations.get(c));
            }
        }
        return left;
    }

    private List<Observation> absorbFragments(List<Observation> left) {
        Map<Track, Observation> matched = new LinkedHashMap<>(pending);
        matched.forEach((t, o) -> fragments.region(t, o.box()));
        List<Observation> still = new ArrayList<>();
        for (Observation o : left) {
            Track owner = null;
            for (Track t : matched.keySet()) {
                Box around = t.box().grow(FRAGMENT_MARGIN);
                if (o.area() < FRAGMENT_MAX_SHARE * t.usualArea()
                        && around.intersection(o.box()) >= FRAGMENT_INSIDE * o.box().area()) {
                    owner = t;
                    break;
                }
            }
            if (owner == null || fragments.drawnAway(owner, matched.get(owner).box(), o.box())) {
                still.add(o);
            } else {
                pending.put(owner, merge(pending.get(owner), o));
            }
        }
        fragments.next();
        return still;
    }

    private static Observation merge(Observation a, Observation b) {
        Mask mask = Masks.union(List.of(a.mask(), b.mask()));
        double wa = a.area();
        double wb = b.area();
        double[] colour = new double[3];
        for (int i = 0; i < 3; i++) {
            colour[i] = (a.colour()[i] * wa + b.colour()[i] * wb) / (wa + wb);
        }
        // a union of fragments is no measure of the object's size
        return new Observation(mask.box(), mask, Math.max(a.score(), b.score()), colour, true);
    }

    private boolean leftTheFrame(Box box) {
        return box.clip(width, height).area() < MIN_INSIDE_FRAME * box.area();
    }

    static double colourDistance(double[] a, double[] b) {
        double db = a[0] - b[0];
        double dg = a[1] - b[1];
        double dr = a[2] - b[2];
        return Math.sqrt(db * db + dg * dg + dr * dr);
    }
}
