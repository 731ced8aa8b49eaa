package io.visionfleet.ingest.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.bus.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Listens to a fanout exchange on the real broker through its own server-named queue, as a live consumer does. */
public final class BusProbe implements AutoCloseable {
    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final List<JsonNode> received = new ArrayList<>();

    public BusProbe(String exchange) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("ingest-test-probe");
        channel = connection.createChannel();
        channel.exchangeDeclare(exchange, "fanout", true);
        queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, "");
    }

    /** Waits for a message matching {@code match} and returns it. */
    public JsonNode next(Predicate<JsonNode> match, Duration within) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (GetResponse r; (r = channel.basicGet(queue, true)) != null; ) {
                received.add(Json.MAPPER.readTree(r.getBody()));
            }
            found[0] = received.stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
