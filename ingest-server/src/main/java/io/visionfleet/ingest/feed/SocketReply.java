package io.visionfleet.ingest.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.visionfleet.common.bus.Json;

/** A JSON text reply to a publisher: {@code {"type":"error","message":...}} or an acknowledgement. */
public record SocketReply(String type, String message) {
    public static String error(String message) {
        return new SocketReply("error", message).toJson();
    }

    public static String ack(String message) {
        return new SocketReply("ack", message).toJson();
    }

    String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reply of two strings always serialises", e);
        }
    }
}
