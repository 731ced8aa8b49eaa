package io.visionfleet.slam.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the TUM reference trajectories ({@code shared/data/tum}) from the working directory or one of its parents. */
final class TumData {
    private TumData() {
    }

    static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/tum").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/tum/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
