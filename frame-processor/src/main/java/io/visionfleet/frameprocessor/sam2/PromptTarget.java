package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.prompt.Prompt;

import java.util.List;

/**
 * What a prompt does to a stream's objects. With an object id it corrects that object. Negative points alone remove
 * the objects under them. Otherwise it corrects the first object whose mask is under its anchor (the box's centre, else
 * its first positive point), or creates a new object while the stream has room for one.
 */
sealed interface PromptTarget {
    /** Refused, for {@code reason}. */
    record Rejected(String reason) implements PromptTarget {
    }

    /** Remove these objects (never empty). */
    record Removal(List<Sam2Object> objects) implements PromptTarget {
    }

    /** Correct the object; {@code onMask} when the prompt found it by its mask rather than by id. */
    record Correction(Sam2Object object, boolean onMask) implements PromptTarget {
    }

    /** Start a new object from the prompt. */
    record Creation() implements PromptTarget {
    }

    /**
     * @param createOnly whether a prompt without an id always creates, as the reference's {@code add_new_points_or_box}
     *                   with a new {@code obj_id} does (the parity harness)
     */
    static PromptTarget of(Prompt prompt, Sam2Objects objects, boolean createOnly, int maxObjects) {
        if (prompt.objectId() != null) {
            Sam2Object o = objects.get(prompt.objectId());
            return o == null ? new Rejected("no object " + prompt.objectId() + " on this stream") : new Correction(o, false);
        }
        if (prompt.positives().isEmpty() && prompt.box() == null) {
            List<Sam2Object> under = objects.all().stream()
                    .filter(o -> prompt.negatives().stream().anyMatch(p -> objects.covers(o, p.x(), p.y()))).toList();
            return under.isEmpty() ? new Rejected("no object under the negative points") : new Removal(under);
        }
        double ax = prompt.box() != null ? prompt.box().centreX() : prompt.positives().get(0).x();
        double ay = prompt.box() != null ? prompt.box().centreY() : prompt.positives().get(0).y();
        for (Sam2Object o : createOnly ? List.<Sam2Object>of() : objects.all()) {
            if (objects.covers(o, ax, ay)) {
                return new Correction(o, true);
            }
        }
        if (objects.size() >= maxObjects) {
            return new Rejected("the stream already tracks its maximum of " + maxObjects + " objects");
        }
        return new Creation();
    }
}
