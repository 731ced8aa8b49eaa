package io.visionfleet.ptz.control;

import java.util.Locale;

/** How {@code follow} picks its target: the configured {@code id}, the {@code largest}, or the {@code fastest} (the runner). */
public enum FollowBy {
    ID, LARGEST, FASTEST;

    public static FollowBy parse(String s) {
        return Names.parse(FollowBy.class, s, "follow_by");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
