package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Camera pose of one frame ({@code slam_results_exchange}). {@code pose} is the 4x4 camera-to-world matrix in
 * row-major order; {@code timestamp} is the frame time in seconds as the original design had it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record SlamResult(String schema, String streamId, long frameNumber, double timestamp, long captureTs,
                         double[] pose, boolean isKeyframe, String trackingState, int numInliers, int mapSegment,
                         double processingMs) {
    public static final String SCHEMA = "slam_result/1";
}
