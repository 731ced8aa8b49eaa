package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;

/**
 * One region found in the current frame: where it is, its pixels, how sure the finder is and its mean colour
 * (B, G, R), which tells apart tracks whose boxes overlap. {@code part} marks a share of a region split among
 * several tracks: its outline is a guess, so it does not teach a track its size.
 */
public record Observation(Box box, Mask mask, double score, double[] colour, boolean part) {
    public Observation(Box box, Mask mask, double score, double[] colour) {
        this(box, mask, score, colour, false);
    }

    public int area() {
        return mask.area();
    }
}
