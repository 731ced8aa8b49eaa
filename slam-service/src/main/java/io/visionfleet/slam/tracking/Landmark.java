package io.visionfleet.slam.tracking;

import java.util.ArrayList;
import java.util.List;

/** A triangulated 3D point of a map segment, with the keyframes that observed it. */
final class Landmark {
    final int id;
    /** World position; bundle adjustment moves it. */
    double[] position;
    final List<Observation> observations = new ArrayList<>(4);
    /** Set when bundle adjustment found it inconsistent; tracks drop it and it leaves the map. */
    boolean bad;

    Landmark(int id, double[] position) {
        this.id = id;
        this.position = position;
    }

    void observe(Keyframe kf, double u, double v) {
        Observation o = new Observation(kf, this, u, v);
        observations.add(o);
        kf.observations.add(o);
    }
}
