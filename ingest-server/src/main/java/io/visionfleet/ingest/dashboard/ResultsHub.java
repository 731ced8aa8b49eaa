package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.BusSubscription;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.stream.StreamIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every fleet exchange, for the dashboard: one server-named, exclusive, auto-delete queue bound to all of them (live
 * view: a restarted server starts from now). Per-frame results ({@code processed_frame}, {@code slam_result},
 * {@code ptz_command}) are joined by {@code stream_id} and {@code capture_ts}; the rest are passed on as events.
 * Malformed messages are dropped and logged once per exchange.
 */
@ApplicationScoped
public class ResultsHub {
    private static final Logger LOG = Logger.getLogger(ResultsHub.class);
    /** Exchanges whose messages are per frame, with the name their part has in a joined result. */
    static final Map<String, String> JOINED = Map.of(Exchanges.PROCESSED_FRAMES, "processed_frame",
            Exchanges.SLAM_RESULTS, "slam_result", Exchanges.PTZ_COMMANDS, "ptz_command");
    /** Exchanges passed on as events, with their kind. */
    static final Map<String, String> EVENTS = Map.of(Exchanges.RECORDINGS, "recording_closed",
            Exchanges.STREAM_EVENTS, "stream_event", Exchanges.IMU_DATA, "telemetry");

    /** Retried this often while the broker is unreachable (the client's recovery takes over after). */
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final DashboardConfig config;
    private final Map<String, JoinedResults> streams = new ConcurrentHashMap<>();
    private final Map<String, Boolean> malformedReported = new ConcurrentHashMap<>();
    private final BusSubscription subscription;

    public ResultsHub(BusConnection bus, DashboardConfig config) {
        this.config = config;
        this.subscription = new BusSubscription("dashboard-bus", bus, this::consume);
    }

    void onStart(@Observes StartupEvent event) {
        subscription.start(RETRY);
    }

    void onStop(@Observes ShutdownEvent event) {
        subscription.close();
    }

    private void consume(Channel ch) throws IOException {
        String queue = ch.queueDeclare().getQueue();
        for (String exchange : Exchanges.ALL) {
            ch.queueBind(queue, exchange, "");
        }
        ch.basicConsume(queue, true, (tag, delivery) ->
                handle(delivery.getEnvelope().getExchange(), delivery.getBody()), tag -> { });
        LOG.infof("dashboard follows every fleet exchange (queue %s)", queue);
    }

    /** One message from {@code exchange}. */
    void handle(String exchange, byte[] body) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            malformed(exchange, "not JSON: " + e.getMessage());
            return;
        }
        String streamId = message == null || !message.isObject() ? null : message.path("stream_id").asText(null);
        if (streamId == null || !StreamIds.isValid(streamId)) {
            malformed(exchange, "no valid stream_id");
            return;
        }
        String kind = JOINED.get(exchange);
        if (kind != null) {
            JsonNode captureTs = message.get("capture_ts");
            if (captureTs == null || !captureTs.canConvertToLong()) {
                malformed(exchange, "no capture_ts");
                return;
            }
            stream(streamId).part(kind, captureTs.asLong(), message);
        } else if (EVENTS.containsKey(exchange)) {
            stream(streamId).event(EVENTS.get(exchange), message);
        }
    }

    /** The joined results of {@code streamId}, created on first use. */
    JoinedResults stream(String streamId) {
        return streams.computeIfAbsent(streamId, id -> new JoinedResults(id, config.joinFrames()));
    }

    private void malformed(String exchange, String why) {
        if (malformedReported.putIfAbsent(exchange, true) == null) {
            LOG.warnf("dashboard ignores a malformed message on %s (%s); further ones are dropped silently", exchange, why);
        }
    }
}
