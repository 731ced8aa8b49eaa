package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One object in a processed frame. {@code bbox} is [x, y, width, height] in frame pixels; {@code mask} is a
 * run-length encoding (COCO style: counts over the row-major mask, starting with a zero run);
 * {@code polygon} is the outer contour as [x0, y0, x1, y1, ...].
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record TrackedObject(long id, String label, double score, int[] bbox, long area, MaskRle mask, int[] polygon) {
    /** Run-length encoded binary mask of size height x width. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MaskRle(int height, int width, List<Integer> counts) {
    }
}
