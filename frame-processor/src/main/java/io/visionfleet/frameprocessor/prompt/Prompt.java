package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.geom.Box;

import java.util.List;

/**
 * A user's hint about one object, validated against the frame size.
 *
 * @param objectId the object to correct, or null to select or create one
 * @param points   clicked points (may be empty when a box is given)
 * @param box      a box around the object, or null
 * @param label    a class name to give the object, or null
 */
public record Prompt(Long objectId, List<PromptPoint> points, Box box, String label) {
    public Prompt {
        points = List.copyOf(points);
    }

    public List<PromptPoint> positives() {
        return points.stream().filter(PromptPoint::positive).toList();
    }

    public List<PromptPoint> negatives() {
        return points.stream().filter(p -> !p.positive()).toList();
    }
}
