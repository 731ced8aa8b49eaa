package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * When one frame passed each hop of a service, in epoch ms on the service's clock, so a reader can split the time
 * from {@code capture_ts} to its own arrival by hop ({@code timing} of per-frame results).
 *
 * @param decodedTs   FFmpeg handed the decoded picture to the service (receiving and decoding are one call)
 * @param startedTs   the processing thread took it from the latest-frame handoff: the wait for a busy engine
 * @param engineTs    the engine (segmentation and tracking, or SLAM tracking) was done with it
 * @param publishedTs the result was handed to the bus publisher
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FrameTiming(long decodedTs, long startedTs, long engineTs, long publishedTs) {
}
