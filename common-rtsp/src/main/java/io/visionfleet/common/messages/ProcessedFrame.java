package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** Segmentation and tracking result of one frame ({@code processed_frames_exchange}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record ProcessedFrame(String schema, String streamId, long frameNumber, long captureTs, int width, int height,
                             String engine, List<TrackedObject> objects, double processingMs) {
    public static final String SCHEMA = "processed_frame/1";
}
