package io.visionfleet.ingest.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.h264.VideoCodec;

import java.util.List;
import java.util.Locale;

/**
 * A JSON text message on a video socket, one of two types:
 * <ul>
 *   <li>{@code video_config}: what the publisher says about its video ({@code width}, {@code height}, {@code fps},
 *       {@code codec}, and whatever else it adds), kept for status; its {@code fps} paces capture times until the
 *       arrivals show the real rate, and its {@code codec} ({@code h264}/{@code avc1} or {@code h265}/{@code hevc})
 *       is taken until the NAL units say otherwise;
 *   <li>{@code access_unit}: {@code capture_ts}, the sender's capture time (epoch ms) of the access unit whose bytes
 *       follow; it also ends the access unit before it. An optional {@code bytes}, the picture's Annex-B length,
 *       lets the server complete the picture as soon as that many bytes arrived instead of when the next one begins.
 * </ul>
 * Anything else is refused with a reason the publisher can read.
 */
public record ControlMessage(String type, ObjectNode body) {
    public static final String VIDEO_CONFIG = "video_config";
    public static final String ACCESS_UNIT = "access_unit";
    /** Control messages are a few dozen bytes; a bound so that parsing one costs next to nothing. */
    static final int MAX_CHARS = 4096;
    private static final List<String> POSITIVE_NUMBERS = List.of("width", "height", "fps");
    private static final double MAX_FPS = 1000;

    /** @throws IllegalArgumentException with a reason for the publisher when the message is not acceptable */
    public static ControlMessage parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("control message of " + text.length() + " characters exceeds "
                    + MAX_CHARS);
        }
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
        switch (type) {
            case VIDEO_CONFIG -> checkVideoConfig(body);
            case ACCESS_UNIT -> checkAccessUnit(body);
            default -> throw new IllegalArgumentException("unknown message type '" + abbreviate(type) + "': expected \""
                    + VIDEO_CONFIG + "\" or \"" + ACCESS_UNIT + "\"");
        }
        return new ControlMessage(type, body);
    }

    /** The announced frame rate of a {@code video_config}, or 0 when it gave none. */
    public double fps() {
        return body.path("fps").asDouble(0);
    }

    /** The codec a {@code video_config} names, or null when it names none. */
    public VideoCodec codec() {
        JsonNode codec = body.get("codec");
        return codec == null ? null : codecNamed(codec.asText());
    }

    /** The sender's capture time of an {@code access_unit}, epoch ms. */
    public long captureTs() {
        return body.get("capture_ts").asLong();
    }

    /** The Annex-B length of the picture an {@code access_unit} announces, or 0 when the sender gave none. */
    public int pictureBytes() {
        return body.path("bytes").asInt(0);
    }

    private static void checkVideoConfig(ObjectNode body) {
        for (String field : POSITIVE_NUMBERS) {
            JsonNode value = body.get(field);
            if (value != null && !(value.isNumber() && value.asDouble() > 0)) {
                throw new IllegalArgumentException(field + " must be a positive number");
            }
        }
        if (body.path("fps").asDouble(0) > MAX_FPS) {
            throw new IllegalArgumentException("fps must be at most " + (int) MAX_FPS);
        }
        JsonNode codec = body.get("codec");
        if (codec != null && codecNamed(codec.asText()) == null) {
            throw new IllegalArgumentException("codec '" + abbreviate(codec.asText())
                    + "' is not relayed: send H.264 or H.265 (Annex-B)");
        }
    }

    private static VideoCodec codecNamed(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.matches("h\\.?264|avc1?")) {
            return VideoCodec.H264;
        }
        return lower.matches("h\\.?265|hevc|hvc1|hev1") ? VideoCodec.H265 : null;
    }

    private static void checkAccessUnit(ObjectNode body) {
        JsonNode ts = body.get("capture_ts");
        if (ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong()) {
            throw new IllegalArgumentException("access_unit needs capture_ts, an integer (epoch ms)");
        }
        JsonNode bytes = body.get("bytes");
        if (bytes != null && !(bytes.isIntegralNumber() && bytes.canConvertToInt() && bytes.asInt() > 0)) {
            throw new IllegalArgumentException("access_unit bytes must be a positive integer (the picture's Annex-B length)");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
