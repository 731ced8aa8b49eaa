package io.visionfleet.frameprocessor.prompt;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.frameprocessor.geom.Box;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A prompt as clients send it, over REST ({@code POST /streams/{id}/prompts}) or the bus ({@code prompt/1} on
 * {@link Exchanges#PROCESSOR_PROMPTS}, where {@code stream_id} and {@code action} say where it goes and what it does):
 * <pre>{"object_id":7,"points":[{"x":320,"y":180,"positive":true}],"box":[300,150,60,80],"label":"person"}</pre>
 * {@code object_id}, {@code box} and {@code label} are optional; a point is positive unless it says otherwise.
 * {@code capture_ts}, also optional, is the capture time of the picture the prompt was made on: a viewer sees a
 * picture some 100-300 ms old, and a moving object has moved on by the frame the prompt reaches, so the prompt is
 * carried along with the object it was made on.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PromptRequest(String schema, String streamId, String action, Long objectId, List<Point> points,
                            double[] box, String label, Long captureTs) {
    public static final String SCHEMA = "prompt/1";
    public static final String ACTION_PROMPT = "prompt";
    public static final String ACTION_REMOVE = "remove";
    public static final int MAX_POINTS = 32;
    public static final int MAX_LABEL = 64;

    /** A clicked point in frame pixels. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Point(Double x, Double y, Boolean positive) {
    }

    /**
     * The prompt, checked against a {@code width} x {@code height} frame.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public Prompt toPrompt(int width, int height) {
        List<Point> given = points == null ? List.of() : points;
        if (given.isEmpty() && box == null) {
            throw new IllegalArgumentException("a prompt needs points or a box");
        }
        if (given.size() > MAX_POINTS) {
            throw new IllegalArgumentException("at most " + MAX_POINTS + " points per prompt, got " + given.size());
        }
        if (label != null && (label.isBlank() || label.length() > MAX_LABEL)) {
            throw new IllegalArgumentException("label must be 1 to " + MAX_LABEL + " characters");
        }
        if (objectId != null && objectId <= 0) {
            throw new IllegalArgumentException("object_id must be positive, got " + objectId);
        }
        List<PromptPoint> checked = new ArrayList<>();
        for (Point p : given) {
            if (p == null || p.x() == null || p.y() == null) {
                throw new IllegalArgumentException("every point needs x and y");
            }
            if (!(p.x() >= 0 && p.x() < width && p.y() >= 0 && p.y() < height)) {
                throw new IllegalArgumentException("point (" + p.x() + ", " + p.y() + ") is outside the "
                        + width + "x" + height + " frame");
            }
            checked.add(new PromptPoint(p.x(), p.y(), p.positive() == null || p.positive()));
        }
        return new Prompt(objectId, checked, box == null ? null : checkedBox(width, height), label);
    }

    private Box checkedBox(int width, int height) {
        if (box.length != 4) {
            throw new IllegalArgumentException("box must be [x, y, width, height], got " + box.length + " numbers");
        }
        Box b = new Box(box[0], box[1], box[2], box[3]);
        if (!(b.width() > 0 && b.height() > 0 && b.x() >= 0 && b.y() >= 0 && b.right() <= width && b.bottom() <= height)) {
            throw new IllegalArgumentException("box " + Arrays.toString(box) + " is not inside the "
                    + width + "x" + height + " frame");
        }
        return b;
    }
}
