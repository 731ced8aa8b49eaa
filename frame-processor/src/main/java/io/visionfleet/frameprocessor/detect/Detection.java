package io.visionfleet.frameprocessor.detect;

import io.visionfleet.frameprocessor.geom.Box;

/** One detector box in frame pixels, with its class. */
public record Detection(Box box, int classId, String label, double score) {
}
