package io.visionfleet.frameprocessor.engine;

/** Life-cycle state of an engine object. Removed objects are no longer listed; their ids come in {@link EngineResult#removed()}. */
public enum ObjectStatus {
    /** Seen, not yet confirmed over enough frames; not published. */
    TENTATIVE,
    /** Tracked and visible in this frame. */
    CONFIRMED,
    /** Tracked but not visible in this frame (occluded, missed); its box is a prediction and it has no mask. */
    LOST
}
