package io.visionfleet.frameprocessor.track;

/** Life cycle of a track: tentative until seen on enough frames, then confirmed, lost while unseen, then removed. */
public enum TrackState {
    TENTATIVE, CONFIRMED, LOST, REMOVED
}
