package io.visionfleet.slam.tracking;

import java.util.Locale;

/** What the tracker knows about a frame; {@link #wireName()} is the {@code tracking_state} of {@code slam_result/1}. */
public enum TrackingState {
    /** Building the first map of a segment: the camera has to translate (not only rotate) for that. */
    INITIALIZING,
    /** Pose found against the current map. */
    TRACKING,
    /** Pose found again in an earlier map after tracking was lost (same map segment as before). */
    RELOCALIZED,
    /** Tracking failed on this frame; the tracker tries relocalisation and, meanwhile, a new map segment. */
    LOST,
    /** The picture has too little texture for features (blank, dark, overexposed or covered). */
    NO_FEATURES,
    /** The configured intrinsics cannot describe this picture (see the log for why). */
    BAD_INTRINSICS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether frames in this state carry a pose. */
    public boolean hasPose() {
        return this == TRACKING || this == RELOCALIZED;
    }
}
