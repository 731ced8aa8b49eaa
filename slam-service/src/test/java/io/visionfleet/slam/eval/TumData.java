package io.visionfleet.slam.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The TUM reference trajectories shipped as test resources ({@code tum/}, CC BY 4.0; see its README.md). */
final class TumData {
    private TumData() {
    }

    static List<StampedPose> trajectory(String name) {
        try (InputStream in = TumData.class.getResourceAsStream("/tum/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource tum/" + name + " is missing");
            }
            return TumTrajectory.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
