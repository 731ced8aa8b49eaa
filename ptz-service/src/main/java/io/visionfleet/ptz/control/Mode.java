package io.visionfleet.ptz.control;

import java.util.Locale;

/** Who drives the camera: the policies ({@code auto}), only the API ({@code manual}), or nobody ({@code off}). */
public enum Mode {
    AUTO, MANUAL, OFF;

    public static Mode parse(String s) {
        return Names.parse(Mode.class, s, "mode");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
