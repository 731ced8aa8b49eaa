package io.visionfleet.ingest.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.visionfleet.common.bus.Json;

import java.util.List;

/**
 * A JSON text message on a video socket. The only type is {@code video_config}: what the publisher says about
 * its video ({@code width}, {@code height}, {@code fps}, {@code codec}, and whatever else it adds), kept for
 * status. Anything else is refused with a reason the publisher can read.
 */
public record ControlMessage(String type, ObjectNode body) {
    public static final String VIDEO_CONFIG = "video_config";
    private static final List<String> POSITIVE_NUMBERS = List.of("width", "height", "fps");

    /** @throws IllegalArgumentException with a reason for the publisher when the message is not acceptable */
    public static ControlMessage parse(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode body)) {
            throw new IllegalArgumentException("expected a JSON object with a \"type\" field");
        }
        String type = body.path("type").asText("");
        if (!VIDEO_CONFIG.equals(type)) {
            throw new IllegalArgumentException("unknown message type '" + type + "': expected \"" + VIDEO_CONFIG + "\"");
        }
        for (String field : POSITIVE_NUMBERS) {
            JsonNode value = body.get(field);
            if (value != null && !(value.isNumber() && value.asDouble() > 0)) {
                throw new IllegalArgumentException(field + " must be a positive number");
            }
        }
        JsonNode codec = body.get("codec");
        if (codec != null && !codec.asText().toLowerCase().matches("h\\.?264|avc1?")) {
            throw new IllegalArgumentException("codec '" + codec.asText() + "' is not relayed: send H.264 (Annex-B)");
        }
        return new ControlMessage(type, body);
    }
}
