package io.visionfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One object in a processed frame. {@code bbox} is [x, y, width, height] in frame pixels; {@code mask} is its binary
 * mask in COCO RLE ({@link io.visionfleet.common.mask.CocoRle}); {@code polygon} is the outer contour as
 * [x0, y0, x1, y1, ...].
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record TrackedObject(long id, String label, double score, int[] bbox, long area, MaskRle mask, int[] polygon) {
    /**
     * A COCO RLE mask as pycocotools writes it: {@code size} [h, w] and {@code counts} in the compressed string form;
     * counts arriving as a JSON array of ints (COCO's uncompressed form) are read into that string.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MaskRle(int[] size, @JsonDeserialize(using = RleCountsReader.class) String counts) {
        @JsonIgnore
        public int height() {
            return size[0];
        }

        @JsonIgnore
        public int width() {
            return size[1];
        }
    }
}
