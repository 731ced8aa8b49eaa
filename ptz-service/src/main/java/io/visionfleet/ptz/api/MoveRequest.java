package io.visionfleet.ptz.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of {@code POST /ptz/{camera}/move}: speeds in [-1, 1] for a relative move lasting {@code duration_ms}
 * (default 1000), or {@code pan_deg}/{@code tilt_deg}/{@code zoom} for an absolute one, or {@code stop: true}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MoveRequest(Double panSpeed, Double tiltSpeed, Double zoomSpeed, Long durationMs,
                          Double panDeg, Double tiltDeg, Double zoom, Boolean stop) {
    static final long DEFAULT_DURATION_MS = 1000;
    static final long MAX_DURATION_MS = 10_000;

    boolean isStop() {
        return Boolean.TRUE.equals(stop);
    }

    boolean isRelative() {
        return panSpeed != null || tiltSpeed != null || zoomSpeed != null;
    }

    boolean isAbsolute() {
        return panDeg != null || tiltDeg != null || zoom != null;
    }
}
