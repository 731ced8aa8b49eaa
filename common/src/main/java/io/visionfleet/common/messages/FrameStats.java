package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Per-stream consumer state, served by every consuming service's status endpoint. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FrameStats(String streamId, String url, boolean connected, long lastFrameAgeMs, long reconnects,
                         double fpsIn, double fpsProcessed, long framesIn, long framesProcessed, long dropped) {
}
