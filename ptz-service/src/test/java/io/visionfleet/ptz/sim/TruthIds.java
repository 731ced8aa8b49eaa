package io.visionfleet.ptz.sim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One camera's track ids for the truth tracker: 100 + the actor's id, kept through occlusion; or, as a motion tracker
 * does, a fresh id each time an actor shows again after a frame without it (behind a pillar or another person, out of
 * the picture), so the controller has to re-find its target under a new id.
 */
final class TruthIds {
    private final boolean losesIds;
    private final Set<Integer> everShown = new HashSet<>();
    private Map<Integer, Long> lastFrame = Map.of();
    private long next = 1000;

    TruthIds(boolean losesIds) {
        this.losesIds = losesIds;
    }

    /** The track ids of one frame's shown actors. */
    Map<Integer, Long> frame(List<Integer> shown) {
        Map<Integer, Long> ids = new HashMap<>();
        for (int actor : shown) {
            Long id = lastFrame.get(actor);
            ids.put(actor, id != null ? id : losesIds && everShown.contains(actor) ? next++ : 100L + actor);
        }
        everShown.addAll(shown);
        lastFrame = ids;
        return ids;
    }
}
