package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.bus.DurableQueues;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deploy/rabbitmq/definitions.json, which compose, Kubernetes and ./fleet up load: every fleet exchange with a bounded
 * inspection queue (a quorum queue: on a cluster, one of a single node held every publisher's confirms while that
 * node was cut off; fault-tests' ClusterPartitionTest), and storage-service's durable archive queues behind its routing
 * by stream (a result of a stream no replica records goes to its kind's shared queue), so results published before
 * storage first starts are archived too. It is imported into a scratch virtual host of the real broker: messages
 * published to each exchange show up in its inspection queue, which keeps only the newest, and wait in the archive
 * queues, which storage-service then declares with its own arguments without a conflict.
 */
@Tag("integration")
class RabbitDefinitionsTest {
    private static final String RABBITMQCTL_HINT = "the local RabbitMQ's rabbitmqctl is needed (./fleet broker --install)";
    private static final int MAX_LENGTH = 1000;
    /** storage-service's queues (fleet.storage.results.queue-prefix and queue-max-length defaults) by exchange. */
    private static final Map<String, String> ARCHIVE_QUEUES = Map.of(
            Exchanges.PROCESSED_FRAMES, "storage.processed_frames", Exchanges.SLAM_RESULTS, "storage.slam_results",
            Exchanges.PTZ_COMMANDS, "storage.ptz_commands", Exchanges.IMU_DATA, "storage.imu_data");
    private static final Map<String, Object> ARCHIVE_ARGUMENTS = Map.of("x-max-length", 1_000_000);
    /** The archive queues as the definitions make them: quorum queues, as storage-service declares them. */
    private static final Map<String, Object> ARCHIVE_DEFINITION = Map.of("x-max-length", 1_000_000, "x-queue-type", "quorum");

    private final JsonNode definitions = parse(Repo.read("deploy/rabbitmq/definitions.json"));

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    /** storage-service's routing exchange of a result exchange: its shared queue's name then {@code .by_stream}. */
    private static String routing(String exchange) {
        return ARCHIVE_QUEUES.get(exchange) + ".by_stream";
    }

    /** Where the routing exchange sends a stream no replica records: a fanout into the shared queue. */
    private static String unowned(String exchange) {
        return ARCHIVE_QUEUES.get(exchange) + ".unowned";
    }

    @Test
    void everyFleetExchangeHasABoundedReplicatedInspectionQueue() {
        List<String> exchanges = new ArrayList<>(Exchanges.ALL);
        ARCHIVE_QUEUES.keySet().forEach(e -> exchanges.addAll(List.of(routing(e), unowned(e))));
        assertThat(names(definitions.get("exchanges"))).containsExactlyInAnyOrderElementsOf(exchanges);
        definitions.get("exchanges").forEach(e -> {
            String name = e.get("name").asText();
            String routed = ARCHIVE_QUEUES.keySet().stream().filter(x -> routing(x).equals(name)).findFirst().orElse(null);
            String expected = routed != null ? "direct true {\"alternate-exchange\":\"" + unowned(routed) + "\"}" : "fanout true {}";
            assertThat(e.get("type").asText() + " " + e.get("durable").asBoolean() + " " + e.get("arguments"))
                    .as(name).isEqualTo(expected);
        });
        List<String> inspection = Exchanges.ALL.stream().map(e -> "inspect." + e).toList();
        List<String> expected = new ArrayList<>(inspection);
        expected.addAll(ARCHIVE_QUEUES.values());
        assertThat(names(definitions.get("queues"))).containsExactlyInAnyOrderElementsOf(expected);
        definitions.get("queues").forEach(q -> {
            JsonNode args = q.get("arguments");
            assertThat(q.get("durable").asBoolean()).as(q.get("name").asText()).isTrue();
            if (!inspection.contains(q.get("name").asText())) {
                assertThat(Json.MAPPER.convertValue(args, Map.class)).as("as storage-service declares it").isEqualTo(ARCHIVE_DEFINITION);
                return;
            }
            assertThat(args.get("x-max-length").asInt()).isEqualTo(MAX_LENGTH);
            assertThat(args.get("x-max-length-bytes").asLong()).isPositive();
            assertThat(args.get("x-queue-type").asText()).isEqualTo("quorum");
            assertThat(args.get("x-overflow").asText()).as("the newest results stay").isEqualTo("drop-head");
        });
        Map<String, String> bound = new java.util.HashMap<>();
        definitions.get("bindings").forEach(b -> {
            String destination = b.get("destination").asText(), source = b.get("source").asText();
            String archive = ARCHIVE_QUEUES.entrySet().stream().filter(a -> unowned(a.getKey()).equals(source))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (archive != null) {
                assertThat(destination).as("unrouted results go to the shared queue").isEqualTo(archive);
            } else {
                assertThat(destination).isIn("inspect." + source, ARCHIVE_QUEUES.containsKey(source) ? routing(source) : null);
            }
            bound.merge(destination, source, (x, y) -> x + "," + y);
        });
        assertThat(bound).hasSize(expected.size() + ARCHIVE_QUEUES.size());
        assertThat(definitions.has("users")).as("credentials come from the environment, not this file").isFalse();
    }

    @Test
    void theBrokerImportsThemAndTheInspectionQueuesKeepTheNewestMessages() throws Exception {
        Broker broker = Broker.get();
        String rabbitmqctl = CommandLine.require(RABBITMQCTL_HINT, "rabbitmqctl", "/usr/sbin/rabbitmqctl");
        String vhost = "fleet-definitions-test-" + System.nanoTime();
        for (JsonNode node : List.of(definitions.get("exchanges"), definitions.get("queues"), definitions.get("bindings"))) {
            node.forEach(o -> ((ObjectNode) o).put("vhost", vhost));
        }
        // the broker node reads the file itself, as its own user
        Path file = Files.createTempFile("definitions", ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(file, Json.MAPPER.writeValueAsString(definitions));
        Duration timeout = Duration.ofSeconds(60); // for the broker: far above the moment it takes when idle
        CommandLine.run(timeout, rabbitmqctl, "-q", "add_vhost", vhost);
        try {
            CommandLine.run(timeout, rabbitmqctl, "-q", "set_permissions", "-p", vhost, broker.username(), ".*", ".*", ".*");
            CommandLine.run(timeout, rabbitmqctl, "-q", "import_definitions", file.toString());
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(broker.host());
            factory.setPort(broker.port());
            factory.setUsername(broker.username());
            factory.setPassword(broker.password());
            factory.setVirtualHost(vhost);
            try (Connection connection = factory.newConnection("definitions-test"); Channel ch = connection.createChannel()) {
                for (String exchange : Exchanges.ALL) {
                    ch.basicPublish(exchange, "", null, exchange.getBytes(StandardCharsets.UTF_8));
                }
                for (String exchange : Exchanges.ALL) {
                    await().atMost(timeout).untilAsserted(() -> {
                        GetResponse got = ch.basicGet("inspect." + exchange, true);
                        assertThat(got).as(exchange).isNotNull();
                        assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo(exchange);
                    });
                }
                ARCHIVE_QUEUES.forEach((exchange, queue) -> {
                    try {
                        ch.exchangeDeclare(unowned(exchange), BuiltinExchangeType.FANOUT, true); // as storage-service does
                        ch.exchangeDeclare(routing(exchange), BuiltinExchangeType.DIRECT, true, false,
                                Map.of("alternate-exchange", unowned(exchange)));
                        assertThat(DurableQueues.declare(ch, queue, ARCHIVE_ARGUMENTS)).as("what storage-service does")
                                .isEqualTo(DurableQueues.Type.QUORUM);
                        assertThat(ch.basicGet(queue, true)).as("%s waited for storage", queue).isNotNull();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(queue + " conflicts with storage-service's declaration", e);
                    }
                });
                String queue = "inspect." + Exchanges.PROCESSED_FRAMES;
                for (int i = 0; i < MAX_LENGTH + 50; i++) {
                    ch.basicPublish(Exchanges.PROCESSED_FRAMES, "", null, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                }
                await().atMost(timeout).until(() -> ch.queueDeclarePassive(queue).getMessageCount() == MAX_LENGTH);
                GetResponse oldest = ch.basicGet(queue, true);
                assertThat(new String(oldest.getBody(), StandardCharsets.UTF_8)).as("the oldest 50 were dropped").isEqualTo("50");
            }
        } finally {
            CommandLine.run(timeout, rabbitmqctl, "-q", "delete_vhost", vhost);
            Files.deleteIfExists(file);
        }
    }
}
