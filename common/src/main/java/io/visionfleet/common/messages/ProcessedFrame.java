package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * Segmentation and tracking result of one frame ({@code processed_frames_exchange}): the objects, the latency of each
 * pipeline stage ({@code stage_ms}), the object life-cycle changes that happened in this frame ({@code events}) and
 * when the frame passed each hop of the service ({@code timing}, absent from older publishers).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record ProcessedFrame(String schema, String streamId, long frameNumber, long captureTs, int width, int height,
                             String engine, List<TrackedObject> objects, double processingMs,
                             Map<String, Double> stageMs, List<ObjectEvent> events, FrameTiming timing) {
    public static final String SCHEMA = "processed_frame/2";

    /** Messages from older publishers carry neither stage timings nor events: both read as empty, never null. */
    public ProcessedFrame {
        stageMs = stageMs == null ? Map.of() : stageMs;
        events = events == null ? List.of() : events;
    }

    /** A frame without stage timings, events or hop times (test publishers, replays). */
    public ProcessedFrame(String schema, String streamId, long frameNumber, long captureTs, int width, int height,
                          String engine, List<TrackedObject> objects, double processingMs) {
        this(schema, streamId, frameNumber, captureTs, width, height, engine, objects, processingMs, Map.of(), List.of(), null);
    }
}
