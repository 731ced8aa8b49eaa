package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Per-stream consumer state, served by every consuming service's status endpoint. {@code dropped} counts every frame
 * skipped before processing took it, {@code skippedForCapacity} those of them skipped because processing was busy
 * (the rest fell under the rate cap); {@code processingMs} is the mean time to handle one of the stream's frames.
 * {@code load} is the service's, the same on every stream: the processing threads its streams need as a share of
 * those it has (above 1 it is over capacity by that factor and skips frames); null in packet mode, where every stream
 * is handled on its own reading thread.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FrameStats(String streamId, String url, boolean connected, long lastFrameAgeMs, long reconnects,
                         double fpsIn, double fpsProcessed, long framesIn, long framesProcessed, long dropped,
                         long skippedForCapacity, double processingMs, Double load) {
}
