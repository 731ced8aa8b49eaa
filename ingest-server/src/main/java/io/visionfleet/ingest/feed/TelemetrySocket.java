package io.visionfleet.ingest.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.TelemetrySample;
import io.visionfleet.common.stream.StreamIds;
import org.jboss.logging.Logger;

/**
 * {@code /ws/telemetry/{streamId}}: each JSON text message is one telemetry/IMU sample, published to
 * {@code imu_data_exchange} with the stream id, the server's receive time and the sender's own timestamp
 * ({@code capture_ts} or {@code timestamp}) when it gave one within {@code fleet.ingest.max-capture-lead} after
 * and {@code max-capture-age} before the receive time; a timestamp outside them is left out (the sample keeps its
 * receive time) and the sender is told once. Telemetry may arrive before or without video, so the stream need
 * not be open. Refusals are replied to within the connection's {@link ReplyBudget}.
 */
@Access(AccessRole.PUBLIC) // publishers bring video credentials of their own, checked before the upgrade (PublishUpgradeCheck)
@WebSocket(path = "/ws/telemetry/{streamId}")
public class TelemetrySocket {
    private static final Logger LOG = Logger.getLogger(TelemetrySocket.class);
    /** Numbers below this are seconds since the epoch (phones often send them so), above it milliseconds. */
    private static final double SECONDS_LIMIT = 1e11;
    /** A sample is a few hundred bytes; it is published to the bus as it came, so a big one is refused. */
    static final int MAX_CHARS = 64 * 1024;
    private static final UserData.TypedKey<Boolean> REJECT_LOGGED = UserData.TypedKey.forBoolean("telemetry-reject-logged");
    private static final UserData.TypedKey<Boolean> TIME_REFUSED = UserData.TypedKey.forBoolean("telemetry-time-refused");

    private final BusPublisher bus;
    private final long maxLeadMs;
    private final long maxAgeMs;

    public TelemetrySocket(BusPublisher bus, IngestConfig config) {
        this.bus = bus;
        this.maxLeadMs = config.maxCaptureLead().toMillis();
        this.maxAgeMs = config.maxCaptureAge().toMillis();
    }

    @OnOpen
    void open(WebSocketConnection connection, @PathParam String streamId) {
        if (!StreamIds.isValid(streamId)) {
            String message = "invalid stream id '" + streamId + "': use 1-64 of [A-Za-z0-9_.-]";
            LOG.warnf("telemetry connection %s refused: %s", connection.id(), message);
            connection.sendTextAndAwait(SocketReply.error(message));
            connection.closeAndAwait(new CloseReason(1008, "invalid stream id"));
        }
    }

    @OnTextMessage
    void text(String text, WebSocketConnection connection, @PathParam String streamId) {
        long receivedMs = System.currentTimeMillis();
        if (text.length() > MAX_CHARS) {
            reject(connection, streamId, "telemetry message of " + text.length() + " characters exceeds " + MAX_CHARS);
            return;
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            reject(connection, streamId, "invalid JSON: " + e.getOriginalMessage());
            return;
        }
        if (data == null || !data.isObject()) {
            reject(connection, streamId, "expected a JSON object");
            return;
        }
        Long captureTs = senderTimestampMs(data);
        if (captureTs != null && (captureTs > receivedMs + maxLeadMs || captureTs < receivedMs - maxAgeMs)) {
            refuseTime(connection, streamId, captureTs);
            captureTs = null;
        }
        if (!bus.publish(Exchanges.IMU_DATA, streamId, TelemetrySample.of(streamId, receivedMs, captureTs, data))) {
            ReplyBudget.reply(connection, SocketReply.error("telemetry not forwarded: message bus unavailable"));
        }
    }

    @OnBinaryMessage
    void binary(byte[] data, WebSocketConnection connection, @PathParam String streamId) {
        reject(connection, streamId, "telemetry takes JSON text messages, not binary");
    }

    private void reject(WebSocketConnection connection, String streamId, String message) {
        if (connection.userData().put(REJECT_LOGGED, true) == null) {
            LOG.warnf("telemetry %s: message refused (%s); further refusals on this connection are not logged",
                    streamId, message);
        }
        ReplyBudget.reply(connection, SocketReply.error(message));
    }

    private void refuseTime(WebSocketConnection connection, String streamId, long captureTs) {
        if (connection.userData().put(TIME_REFUSED, true) != null) {
            return;
        }
        String message = "timestamp " + captureTs + " (epoch ms) is more than " + maxLeadMs + " ms ahead of the server clock or "
                + maxAgeMs + " ms behind it: samples are forwarded without capture_ts; further ones are not reported";
        LOG.warnf("telemetry %s: %s", streamId, message);
        ReplyBudget.reply(connection, SocketReply.error(message));
    }

    /** The sender's capture time in epoch milliseconds, if it sent one. */
    static Long senderTimestampMs(JsonNode data) {
        JsonNode ts = data.has("capture_ts") ? data.get("capture_ts") : data.get("timestamp");
        if (ts == null || !ts.isNumber()) {
            return null;
        }
        double value = ts.asDouble();
        // Math.round saturates: an absurd number becomes an absurd time that the bounds then refuse
        return Math.round(value < SECONDS_LIMIT ? value * 1000 : value);
    }
}
