package io.visionfleet.ingest.testing;

import java.io.File;
import java.util.Optional;

/** Programs the tests run when installed (GStreamer, Chromium): found on the PATH as a shell would. */
public final class OnPath {
    private OnPath() {
    }

    public static Optional<String> find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File file = new File(dir, program);
            if (!dir.isEmpty() && file.canExecute()) {
                return Optional.of(file.getPath());
            }
        }
        return Optional.empty();
    }
}
