package io.visionfleet.frameprocessor.output;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.common.messages.ProcessedFrame;

import java.util.List;
import java.util.Map;

/**
 * The message published per processed frame: the fields of {@link ProcessedFrame} plus {@code stage_ms} (latency of
 * each pipeline stage) and {@code events} (object life-cycle changes in this frame). Both are additions to
 * {@code processed_frame/1} (consumers ignore unknown fields), kept here until the shared record carries them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FrameResult(@JsonUnwrapped ProcessedFrame frame, Map<String, Double> stageMs, List<ObjectEvent> events) {
}
