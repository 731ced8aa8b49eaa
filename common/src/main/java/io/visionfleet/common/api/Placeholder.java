package io.visionfleet.common.api;

/**
 * The placeholder secrets earlier versions of the compose file and k8s/base carried ({@code change-me...}), and
 * examples in the docs still show: a service refuses to start with one.
 */
public final class Placeholder {
    /** How every shipped placeholder begins. */
    public static final String PREFIX = "change-me";

    private Placeholder() {
    }

    /** Whether {@code secret} is one of the shipped placeholders: everyone who read the repository knows it. */
    public static boolean is(String secret) {
        return secret != null && secret.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Stops a service at start-up when {@code secret}, the value of {@code setting}, is a placeholder: a service must
     * not run behind a secret everyone knows. The message names the setting, never the value.
     */
    public static void refuse(String setting, String secret) {
        if (is(secret)) {
            throw new IllegalStateException(setting + " is a placeholder, which everyone who read the repository knows: set "
                    + "a real secret (./fleet k8s secrets makes them for Kubernetes; docs/security.md)");
        }
    }
}
