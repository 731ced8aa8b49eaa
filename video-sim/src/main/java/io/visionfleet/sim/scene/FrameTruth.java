package io.visionfleet.sim.scene;

import java.util.List;
import java.util.Optional;

/**
 * Ground truth of one rendered picture: which actor each pixel shows and the visible part of every actor.
 *
 * @param ids     per pixel (row-major) the id of the actor visible there, 0 for background and scenery
 * @param objects every actor with at least one visible pixel
 */
public record FrameTruth(long frame, int width, int height, byte[] ids, List<ObjectTruth> objects) {
    /**
     * The visible part of one actor. {@code counted} is false for an actor too little of which shows (entering at an
     * edge, mostly hidden): evaluations treat it as "don't care", neither a miss when unseen nor a false alarm when found.
     *
     * @param bbox            [x, y, width, height] of the visible pixels
     * @param area            visible pixels
     * @param visibleFraction visible pixels over the pixels of the whole shape
     */
    public record ObjectTruth(int id, int[] bbox, int area, double visibleFraction, boolean counted) {
    }

    public Optional<ObjectTruth> object(int id) {
        return objects.stream().filter(o -> o.id() == id).findFirst();
    }

    /** Whether pixel (x, y) shows actor {@code id}. */
    public boolean shows(int id, int x, int y) {
        return ids[y * width + x] == id;
    }
}
