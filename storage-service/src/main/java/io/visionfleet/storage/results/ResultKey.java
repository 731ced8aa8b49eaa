package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.stream.StreamIds;

import java.util.Optional;

/**
 * Where a result belongs: its stream and capture time. Telemetry without a sender timestamp is filed by its
 * receive time.
 */
record ResultKey(String streamId, long ts) {
    /** The key of a message, or empty when it lacks a valid {@code stream_id} or a capture time. */
    static Optional<ResultKey> of(JsonNode message) {
        JsonNode stream = message.get("stream_id");
        if (stream == null || !stream.isTextual() || !StreamIds.isValid(stream.asText())) {
            return Optional.empty();
        }
        JsonNode ts = message.get("capture_ts");
        if (ts == null || !ts.canConvertToLong()) {
            ts = message.get("received_ts");
        }
        if (ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong() || ts.asLong() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ResultKey(stream.asText(), ts.asLong()));
    }
}
