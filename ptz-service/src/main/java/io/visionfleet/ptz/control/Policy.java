package io.visionfleet.ptz.control;

import java.util.Locale;

/**
 * What the camera frames: {@code follow} one target, {@code center_group} the super-box of every considered object, or
 * {@code handoff}: follow, and pass a target leaving the camera's coverage to the neighbour on that side.
 */
public enum Policy {
    FOLLOW, CENTER_GROUP, HANDOFF;

    public static Policy parse(String s) {
        return Names.parse(Policy.class, s, "policy");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
