package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.geom.Masks;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import io.visionfleet.frameprocessor.prompt.Seed;
import io.visionfleet.frameprocessor.track.MultiObjectTracker;
import io.visionfleet.frameprocessor.track.Observation;
import io.visionfleet.frameprocessor.track.Track;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a prompt means to the motion engine, which sees only moving regions. Positive points and a box select the
 * regions of this frame under them (a point inside a region's mask, a box holding a region's centre or half of it);
 * negative points take the regions under them out of the selection.
 * <ul>
 *   <li>Without an object id: a selection that holds the region of exactly one tracked object selects that object
 *       (marked as prompted, so interactive mode keeps it); a selection of untracked regions, or of several objects'
 *       regions, becomes a new object at once, in place of the unprompted tracks there. Only negative points remove
 *       the objects under them.</li>
 *   <li>With an object id: the selection becomes that object's region and motion estimate (a correction after an id
 *       went to the wrong region); only negative points remove that object.</li>
 * </ul>
 * A removed object stays followed but unreported, so it does not come back under a new id while it is in view.
 */
final class PromptSelection {
    /** A point this close to a region's box (and in no region) still selects the nearest region. */
    private static final double POINT_TOLERANCE = 4;

    private final Prompt prompt;
    private final List<Observation> selected = new ArrayList<>();
    private final List<Observation> negative = new ArrayList<>();

    /**
     * Applies {@code prompt} to this frame's regions: those the tracks took and those {@code left} over, from which
     * the regions it gives an object are removed.
     */
    static CommandOutcome apply(Prompt prompt, MultiObjectTracker tracker, List<Observation> left, int maxObjects) {
        List<Observation> regions = new ArrayList<>(left);
        for (Track t : tracker.tracks()) {
            if (t.observation() != null) {
                regions.add(t.observation());
            }
        }
        return new PromptSelection(prompt, regions).applyTo(tracker, left, maxObjects);
    }

    private PromptSelection(Prompt prompt, List<Observation> regions) {
        this.prompt = prompt;
        for (Observation o : regions) {
            boolean excluded = prompt.negatives().stream().anyMatch(p -> inside(o, p.x(), p.y()));
            if (excluded) {
                negative.add(o);
            } else if ((prompt.box() != null && inBox(o, prompt.box()))
                    || prompt.positives().stream().anyMatch(p -> inside(o, p.x(), p.y()))) {
                selected.add(o);
            }
        }
        for (PromptPoint p : prompt.positives()) {
            if (regions.stream().noneMatch(o -> inside(o, p.x(), p.y()))) {
                nearest(regions, p.x(), p.y()).filter(o -> !negative.contains(o) && !selected.contains(o)).ifPresent(selected::add);
            }
        }
    }

    /** Whether an automatic seed falls on region {@code o}. */
    static boolean hits(Seed seed, Observation o) {
        return seed.box() != null ? inBox(o, seed.box()) : inside(o, seed.x(), seed.y());
    }

    private CommandOutcome applyTo(MultiObjectTracker tracker, List<Observation> left, int maxObjects) {
        boolean onlyNegative = prompt.positives().isEmpty() && prompt.box() == null;
        if (prompt.objectId() != null) {
            Track target = tracker.find(prompt.objectId()).filter(t -> !t.suppressed()).orElse(null);
            if (target == null) {
                return CommandOutcome.rejected("no object " + prompt.objectId() + " on this stream");
            }
            if (onlyNegative) {
                tracker.suppress(target);
                return CommandOutcome.removed(target.id());
            }
            if (selected.isEmpty()) {
                return CommandOutcome.rejected("no moving region under the prompt");
            }
            take(tracker, left);
            tracker.retarget(target, union(), prompt.label());
            return CommandOutcome.corrected(target.id());
        }
        if (onlyNegative) {
            List<Track> hit = owners(tracker, negative).stream().filter(t -> t.id() != 0 && !t.suppressed()).toList();
            if (hit.isEmpty()) {
                return CommandOutcome.rejected("no object under the negative points");
            }
            hit.forEach(tracker::suppress);
            return CommandOutcome.removed(hit.get(0).id());
        }
        if (selected.isEmpty()) {
            return CommandOutcome.rejected("no moving region under the prompt");
        }
        Set<Track> owners = owners(tracker, selected);
        if (owners.size() == 1) {
            Track owner = owners.iterator().next();
            if (!owner.suppressed()) {
                tracker.promote(owner, prompt.label());
                return CommandOutcome.corrected(owner.id());
            }
        }
        Observation union = union();
        List<Track> replaced = replaced(tracker, owners, union.box());
        if (tracker.size() - replaced.size() >= maxObjects) {
            return CommandOutcome.rejected("the stream already tracks its maximum of " + maxObjects + " objects");
        }
        replaced.forEach(tracker::discard);
        take(tracker, left);
        return CommandOutcome.created(tracker.create(union, prompt.label()).id());
    }

    /**
     * The tracks a new object at {@code box} takes the place of, so that none takes its regions back on the next
     * frames: unprompted and removed ones that gave it a region, or that missed this frame where it is (an object seen
     * unlike itself for a frame, which its old track would take back once it looks like itself again).
     */
    private static List<Track> replaced(MultiObjectTracker tracker, Set<Track> owners, Box box) {
        return tracker.tracks().stream()
                .filter(t -> t.suppressed() || !t.prompted())
                .filter(t -> owners.contains(t)
                        || t.observation() == null && box.contains(t.box().centreX(), t.box().centreY()))
                .toList();
    }

    private void take(MultiObjectTracker tracker, List<Observation> left) {
        tracker.release(selected);
        left.removeAll(selected);
    }

    private Observation union() {
        Mask mask = Masks.union(selected.stream().map(Observation::mask).toList());
        double score = selected.stream().mapToDouble(Observation::score).max().orElse(1);
        return new Observation(mask.box(), mask, score, selected.get(0).colour());
    }

    private static Set<Track> owners(MultiObjectTracker tracker, List<Observation> regions) {
        Set<Track> owners = new LinkedHashSet<>();
        for (Track t : tracker.tracks()) {
            if (t.observation() != null && regions.contains(t.observation())) {
                owners.add(t);
            }
        }
        return owners;
    }

    private static boolean inside(Observation o, double x, double y) {
        Mask m = o.mask();
        int col = (int) Math.floor(x) - m.x();
        int row = (int) Math.floor(y) - m.y();
        if (col < 0 || row < 0 || col >= m.width() || row >= m.height()) {
            return false;
        }
        return m.pixels().ptr(row, col).get() != 0;
    }

    private static boolean inBox(Observation o, Box box) {
        Box b = o.box();
        return box.contains(b.centreX(), b.centreY()) || box.intersection(b) >= 0.5 * b.area();
    }

    private static Optional<Observation> nearest(List<Observation> regions, double x, double y) {
        Observation best = null;
        double bestDistance = POINT_TOLERANCE;
        for (Observation o : regions) {
            Box b = o.box();
            double dx = Math.max(0, Math.max(b.x() - x, x - b.right()));
            double dy = Math.max(0, Math.max(b.y() - y, y - b.bottom()));
            double d = Math.hypot(dx, dy);
            if (d <= bestDistance) {
                bestDistance = d;
                best = o;
            }
        }
        return Optional.ofNullable(best);
    }
}
