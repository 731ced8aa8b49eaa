package io.visionfleet.frameprocessor.output;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;

/** An object as published for one frame: id, class, confidence and its visible pixels. */
public record PublishedObject(long id, String label, double score, Box box, Mask mask) {
}
