package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.TrackedObject;

/** What an object of a processed frame looked like: the colour histogram of its mask in the frame it was found in. */
public interface AppearanceSource {
    /** For cameras without pictures: appearance is unknown and matching falls back to position, time and label. */
    AppearanceSource NONE = (captureTs, object, frameWidth, frameHeight) -> null;

    /**
     * @param frameWidth  width of the picture the result's coordinates refer to
     * @param frameHeight its height
     * @return the normalised histogram, or null when the frame's picture is no longer (or never was) at hand
     */
    float[] histogram(long captureTs, TrackedObject object, int frameWidth, int frameHeight);
}
