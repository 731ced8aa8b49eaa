package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.geom.Box;

/**
 * An automatic prompt: a point (the box's centre when there is a box) where a new object may be.
 *
 * @param box   region of the object when the strategy knows one (detector, motion), else null
 * @param label class name when the strategy knows one (detector), else null
 */
public record Seed(double x, double y, Box box, String label, double score) {
    public static Seed point(double x, double y) {
        return new Seed(x, y, null, null, 1);
    }

    public static Seed box(Box box, String label, double score) {
        return new Seed(box.centreX(), box.centreY(), box, label, score);
    }
}
