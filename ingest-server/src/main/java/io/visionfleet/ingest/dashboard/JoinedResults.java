package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.visionfleet.common.bus.Json;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One stream's results joined by {@code capture_ts} across exchanges, and its viewers. Each arriving part goes to the
 * viewers at once as {@code {"type":"result","stream_id":..,"capture_ts":..,"parts":{"<kind>":{..}}}}, so nothing
 * waits for a slower service; the page merges parts of one {@code capture_ts}. A viewer that connects gets the
 * recent frames with all their parts joined, then the live parts, with nothing lost or repeated between the two.
 */
final class JoinedResults {
    private final String streamId;
    private final int maxFrames;
    private final Map<Long, ObjectNode> frames;
    private final List<Outbox> viewers = new CopyOnWriteArrayList<>();

    JoinedResults(String streamId, int maxFrames) {
        this.streamId = streamId;
        this.maxFrames = maxFrames;
        this.frames = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, ObjectNode> eldest) {
                return size() > JoinedResults.this.maxFrames;
            }
        };
    }

    /** Joins {@code body} (a message of kind {@code kind}) under its capture time and pushes it to every viewer. */
    synchronized void part(String kind, long captureTs, JsonNode body) {
        frames.computeIfAbsent(captureTs, ts -> Json.MAPPER.createObjectNode()).set(kind, body);
        push(() -> {
            ObjectNode parts = Json.MAPPER.createObjectNode();
            parts.set(kind, body);
            return result(captureTs, parts);
        });
    }

    /** Pushes a message that is not per frame (a closed recording, a stream event, telemetry). */
    synchronized void event(String kind, JsonNode body) {
        push(() -> {
            ObjectNode message = Json.MAPPER.createObjectNode().put("type", "event").put("stream_id", streamId)
                    .put("kind", kind);
            message.set("body", body);
            return write(message);
        });
    }

    /** Writes a message for the viewers, if there are any: most streams have none (about 300 parts a second at 6). */
    private void push(Supplier<String> message) {
        if (!viewers.isEmpty()) {
            String text = message.get();
            viewers.forEach(viewer -> viewer.offerText(text));
        }
    }

    /** Adds a viewer: it gets a hello, then the joined recent frames, oldest first, then live parts. */
    synchronized void add(Outbox viewer) {
        List<Map.Entry<Long, ObjectNode>> recent = new ArrayList<>(frames.entrySet());
        viewer.sendText(write(Json.MAPPER.createObjectNode().put("type", "hello").put("stream_id", streamId)
                .put("backlog", recent.size())));
        for (Map.Entry<Long, ObjectNode> frame : recent) {
            viewer.offerText(result(frame.getKey(), frame.getValue()));
        }
        viewers.add(viewer);
    }

    void remove(Outbox viewer) {
        viewers.remove(viewer);
    }

    synchronized int frames() {
        return frames.size();
    }

    private String result(long captureTs, ObjectNode parts) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("type", "result").put("stream_id", streamId)
                .put("capture_ts", captureTs);
        message.set("parts", parts);
        return write(message);
    }

    private static String write(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
