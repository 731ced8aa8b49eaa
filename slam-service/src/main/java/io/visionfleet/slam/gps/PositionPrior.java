package io.visionfleet.slam.gps;

import java.util.Optional;

/** Where a stream's camera was, in metres of a local east-north-up frame fixed for the stream. */
public interface PositionPrior {
    /** No position data. */
    PositionPrior NONE = seconds -> Optional.empty();

    /** {@code [east, north, up]} in metres at {@code seconds} (capture clock), or empty when no fixes cover it. */
    Optional<double[]> position(double seconds);
}
