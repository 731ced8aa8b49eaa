package io.visionfleet.frameprocessor.prompt;

import java.util.Locale;

/** Whether a stream finds objects by itself or only follows the ones prompted. */
public enum Mode {
    /** The prompt strategy seeds new objects every re-prompt interval; prompts add and correct. */
    AUTOMATIC,
    /** Only prompted objects are tracked. */
    INTERACTIVE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String value) {
        for (Mode m : values()) {
            if (m.id().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be 'automatic' or 'interactive', got '" + value + "'");
    }
}
