package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** One per-frame result as the fault tests count it: which stream, which frame, captured when. */
record FrameResult(String streamId, long frameNumber, long captureTs) {
    /** The result in {@code message}, empty unless it has a stream, a frame number and a capture time. */
    static Optional<FrameResult> of(JsonNode message) {
        if (message == null || !message.hasNonNull("stream_id") || !message.path("frame_number").canConvertToLong()
                || !message.path("capture_ts").canConvertToLong()) {
            return Optional.empty();
        }
        return Optional.of(new FrameResult(message.get("stream_id").asText(), message.get("frame_number").asLong(),
                message.get("capture_ts").asLong()));
    }
}
