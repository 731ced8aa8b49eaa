package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The fleet's inspection queues exactly as deploy/rabbitmq/definitions.json declares them (compose and Kubernetes
 * import that file into their clusters), declared through a chosen node: where a queue of one node lives, and where a
 * replicated one starts with its leader.
 */
final class InspectionQueues {
    private static final Path DEFINITIONS = Path.of("..", "deploy", "rabbitmq", "definitions.json");

    private InspectionQueues() {
    }

    /**
     * Declares {@code inspect.<exchange>} through {@code node} as the definitions declare the inspection queue of
     * {@code like} (the same exchange, or a fleet exchange for one of the test's own), bound to {@code exchange};
     * returns its name.
     */
    static String declare(Broker node, String exchange, String like) throws IOException, TimeoutException {
        JsonNode definition = null;
        for (JsonNode q : Json.MAPPER.readTree(DEFINITIONS.toFile()).path("queues")) {
            if (q.path("name").asText().equals("inspect." + like)) {
                definition = q;
            }
        }
        if (definition == null) {
            throw new IllegalStateException(DEFINITIONS + " declares no inspection queue of " + like);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = Json.MAPPER.convertValue(definition.path("arguments"), Map.class);
        String name = "inspect." + exchange;
        try (Connection c = node.connect(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "fanout", true);
            ch.queueDeclare(name, definition.path("durable").asBoolean(), false, false, arguments);
            ch.queueBind(name, exchange, "");
        }
        return name;
    }

    /** How many messages {@code queue} holds now, asked through {@code broker}. */
    static long messages(Broker broker, String queue) throws IOException, TimeoutException {
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }
}
