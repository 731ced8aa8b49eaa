package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.geom.Box;

import java.util.ArrayList;
import java.util.List;

/**
 * The regions of tracks followed from frame to frame, to tell what their fragments are. A ghost or trail that
 * background subtraction leaves where an object was stays put in the scene (it fades inside the box it had); a piece
 * of an object moves with its track. A fragment that has done neither, now mostly outside both the box it had when it
 * broke off and that box carried along with its track, is an object of its own: one of a group that a track was
 * started on, drawing apart.
 */
final class FragmentHistory {
    /** Least IoU of a region with one of the last frame for the two to be the same region. */
    private static final double SAME_REGION_IOU = 0.5;
    /** Share of a fragment inside a box for it to count as still there. */
    private static final double MOSTLY = 0.5;

    /**
     * A region of a track (its own or a fragment) as last seen; since it first was a fragment, its box and the centre
     * of its track's region then, in this frame's pixels (null while it never was one).
     */
    private record Followed(Track owner, Box last, Box brokeOff, double[] trackThen) {
        Followed next(Box seen) {
            return new Followed(owner, seen, brokeOff, trackThen);
        }
    }

    private List<Followed> lastFrame = new ArrayList<>();
    private List<Followed> thisFrame = new ArrayList<>();

    /** The camera moved: {@code h} (3x3 row-major) maps last frame's pixels to this frame's. */
    void warp(double[] h) {
        lastFrame = lastFrame.stream()
                .map(f -> new Followed(f.owner(), warp(h, f.last()),
                        f.brokeOff() == null ? null : warp(h, f.brokeOff()),
                        f.trackThen() == null ? null : Homography.map(h, f.trackThen()[0], f.trackThen()[1])))
                .toList();
    }

    /** {@code region} is the one {@code owner} matched in this frame (followed so it is known if it breaks off). */
    void region(Track owner, Box region) {
        Followed before = before(owner, region);
        thisFrame.add(before == null ? new Followed(owner, region, null, null) : before.next(region));
    }

    /**
     * Follows {@code fragment} of {@code owner}, whose own region in this frame is {@code region}; true when the
     * fragment has drawn away from the track as an object of its own.
     */
    boolean drawnAway(Track owner, Box region, Box fragment) {
        Followed before = before(owner, fragment);
        Followed now = before == null || before.brokeOff() == null
                ? new Followed(owner, fragment, fragment, new double[]{region.centreX(), region.centreY()})
                : before.next(fragment);
        thisFrame.add(now);
        Box from = now.brokeOff();
        Box withTrack = new Box(from.x() + region.centreX() - now.trackThen()[0],
                from.y() + region.centreY() - now.trackThen()[1], from.width(), from.height());
        return !mostlyInside(fragment, from) && !mostlyInside(fragment, withTrack);
    }

    /** This frame's regions become the last frame's. */
    void next() {
        lastFrame = thisFrame;
        thisFrame = new ArrayList<>();
    }

    private Followed before(Track owner, Box seen) {
        Followed best = null;
        for (Followed f : lastFrame) {
            if (f.owner() == owner && f.last().iou(seen) >= SAME_REGION_IOU
                    && (best == null || f.last().iou(seen) > best.last().iou(seen))) {
                best = f;
            }
        }
        return best;
    }

    private static boolean mostlyInside(Box region, Box where) {
        return region.intersection(where) >= MOSTLY * region.area();
    }

    private static Box warp(double[] h, Box b) {
        double[] centre = Homography.map(h, b.centreX(), b.centreY());
        return Box.ofCentre(centre[0], centre[1], b.width(), b.height());
    }
}
