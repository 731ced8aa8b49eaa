package io.visionfleet.slam.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * One connected map: keyframes and landmarks in one coordinate frame and scale. Tracking that is lost and
 * cannot relocalise starts a new segment, whose frame and scale are unrelated to the earlier ones.
 */
final class MapSegment {
    final int id;
    final List<Keyframe> keyframes = new ArrayList<>();
    final List<Landmark> landmarks = new ArrayList<>();

    MapSegment(int id) {
        this.id = id;
    }

    /**
     * Forgets the oldest keyframe: its observations go, and landmarks left without any are dropped (marked bad so
     * a track still following one lets go of it).
     */
    void forgetOldestKeyframe() {
        Keyframe oldest = keyframes.remove(0);
        for (Observation o : oldest.observations) {
            Landmark lm = o.landmark();
            lm.observations.remove(o);
            if (lm.observations.isEmpty()) {
                lm.bad = true;
            }
        }
        oldest.observations.clear();
        landmarks.removeIf(lm -> lm.bad);
    }
}
