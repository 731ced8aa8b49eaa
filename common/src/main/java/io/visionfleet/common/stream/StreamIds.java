package io.visionfleet.common.stream;

import java.util.regex.Pattern;

/** Stream ids become URL path segments, metric tags and file names: they are kept to a safe alphabet. */
public final class StreamIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private StreamIds() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** @throws IllegalArgumentException naming the id and the rule when it is not valid */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("invalid stream id '" + id + "': use 1-64 of [A-Za-z0-9_.-]");
        }
        return id;
    }
}
