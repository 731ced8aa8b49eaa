package io.visionfleet.ptz.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case wire names of the control enums, with an error that lists the accepted ones. */
final class Names {
    private Names() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String s, String what) {
        if (s != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.trim())) {
                    return e;
                }
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(what + " must be one of " + accepted + ", got '" + s + "'");
    }
}
