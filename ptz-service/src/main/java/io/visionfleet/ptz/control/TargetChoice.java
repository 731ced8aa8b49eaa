package io.visionfleet.ptz.control;

import java.util.Comparator;
import java.util.List;

/** A new target among the followable tracks, by {@link FollowBy}: the wanted id, the largest area, or the fastest mover. */
final class TargetChoice {
    private TargetChoice() {
    }

    /**
     * @param wantedId        the id followed under {@link FollowBy#ID}
     * @param stationarySpeed under {@link FollowBy#FASTEST}, tracks at most this fast (deg/s) are not moving
     * @return the chosen track, null when none qualifies
     */
    static Track choose(FollowBy by, Long wantedId, List<Track> visible, double stationarySpeed) {
        return switch (by) {
            case ID -> visible.stream().filter(t -> wantedId != null && t.id == wantedId).findFirst().orElse(null);
            case LARGEST -> visible.stream().max(Comparator.comparingLong(t -> t.area)).orElse(null);
            case FASTEST -> visible.stream().filter(t -> t.speed() > stationarySpeed)
                    .max(Comparator.comparingDouble(Track::speed)).orElse(null);
        };
    }
}
