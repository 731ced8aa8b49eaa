package io.visionfleet.common.api;

/** The secrets the shipped compose file and k8s/base carry until a user sets real ones ({@code change-me...}). */
public final class Placeholder {
    /** How every shipped placeholder begins. */
    public static final String PREFIX = "change-me";

    private Placeholder() {
    }

    /** Whether {@code secret} is one of the shipped placeholders: everyone who read the repository knows it. */
    public static boolean is(String secret) {
        return secret != null && secret.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
