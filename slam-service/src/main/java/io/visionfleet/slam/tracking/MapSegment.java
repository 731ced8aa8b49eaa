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

    Keyframe lastKeyframe() {
        return keyframes.get(keyframes.size() - 1);
    }
}
