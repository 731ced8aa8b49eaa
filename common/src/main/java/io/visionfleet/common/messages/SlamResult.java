package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Camera pose of one frame ({@code slam_results_exchange}). {@code pose} is the 4x4 camera-to-world matrix in
 * row-major order; {@code timestamp} is the frame time in seconds as the original design had it. {@code scale} is
 * metres per map unit of segment {@code mapSegment} and {@code scaleSource} where it came from ({@code gps}); both
 * are null until a scale is known (the pose itself stays in map units). {@code timing} says when the frame passed
 * each hop of the service (absent from older publishers).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record SlamResult(String schema, String streamId, long frameNumber, double timestamp, long captureTs,
                         double[] pose, boolean isKeyframe, String trackingState, int numInliers, int mapSegment,
                         double processingMs, Double scale, String scaleSource, FrameTiming timing) {
    public static final String SCHEMA = "slam_result/1";
    public static final String SCALE_SOURCE_GPS = "gps";

    /** A result without a metric scale or hop times (test publishers). */
    public SlamResult(String schema, String streamId, long frameNumber, double timestamp, long captureTs,
                      double[] pose, boolean isKeyframe, String trackingState, int numInliers, int mapSegment,
                      double processingMs) {
        this(schema, streamId, frameNumber, timestamp, captureTs, pose, isKeyframe, trackingState, numInliers,
                mapSegment, processingMs, null, null, null);
    }
}
