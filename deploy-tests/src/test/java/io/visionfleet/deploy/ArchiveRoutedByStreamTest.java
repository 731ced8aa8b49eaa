package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The results archive routed by stream, with real replicas: two storage-service processes, each with an archive
 * directory of its own, share four streams of a real relay through stream ownership. The test publishes results to
 * {@code processed_frames_exchange} as frame-processor does (the stream id as routing key, persistent, confirmed) and
 * reads what each replica wrote: every replica archives exactly the results of the streams it records, while a queue
 * on the fanout, as a dashboard binds one, still receives every stream's. Then one replica stops while results keep
 * coming: its streams move to the other, whose archive gets their results from then on, and across both archives
 * every confirmed result is there exactly once.
 */
@Tag("integration")
class ArchiveRoutedByStreamTest {
    private static final String SERVICE = "storage-service";
    private static final int FIRST_PORT = 24321;
    private static final String RUN = "arch" + System.currentTimeMillis() % 1_000_000 + "-";
    private static final List<String> STREAMS = IntStream.rangeClosed(1, 4).mapToObj(i -> RUN + "s" + i).toList();
    private static final String QUEUES = "archive-routing-it-" + RUN;

    private static RelayProcess relay;
    private static ReplicaGroup group;
    private static Path roots;
    private static Connection connection;

    @BeforeAll
    static void startRelayAndReplicas() throws Exception {
        relay = RelayProcess.start(24295, 24695);
        Path clip = StreamOwnershipAcrossReplicasTest.clip("archive-routing");
        STREAMS.forEach(id -> relay.addFileSource(id, clip));
        roots = Files.createTempDirectory("archive-routing");
        Map<String, String> config = new HashMap<>(StreamOwnershipAcrossReplicasTest.consumerOf(relay, STREAMS, false));
        config.putAll(Map.of("fleet.storage.results.enabled", "true",
                "fleet.storage.results.queue-prefix", QUEUES,
                "fleet.storage.results.flush-interval", "100ms"));
        group = ReplicaGroup.start(SERVICE, "archive-routing-" + RUN, 2, FIRST_PORT, STREAMS.size(), RUN, config,
                i -> Map.of("fleet.storage.root", root(i).toString()));
        connection = Broker.get().connect();
    }

    @AfterAll
    static void stopAll() throws Exception {
        try (RelayProcess r = relay; ReplicaGroup g = group) {
            if (connection != null) {
                connection.close();
            }
        } finally {
            // once the replicas are gone: a replica declares its streams' queues again when they vanish
            ArchiveQueues.delete(Broker.get(), QUEUES, STREAMS.toArray(String[]::new));
        }
    }

    private static Path root(int replica) {
        return roots.resolve("replica-" + replica);
    }

    @Test
    void eachReplicaArchivesItsOwnStreamsAndAStoppedReplicasStreamsMoveWithNothingLostOrDoubled() throws Exception {
        await().atMost(StreamOwnershipAcrossReplicasTest.SETTLE).untilAsserted(() -> {
            group.assertEachProcessedByOneReplica(STREAMS);
            assertThat(group.replicas()).allSatisfy(r -> assertThat(r.get("/ownership").orElseThrow().get("owned")).hasSize(2));
        });
        awaitStreamQueuesConsumed();
        Map<String, String> owners = owners();

        try (Channel ch = connection.createChannel(); Channel dashboard = connection.createChannel()) {
            String watch = dashboard.queueDeclare().getQueue();
            dashboard.queueBind(watch, Exchanges.PROCESSED_FRAMES, "");
            Map<String, Set<Integer>> watched = new ConcurrentHashMap<>();
            dashboard.basicConsume(watch, true, (tag, d) -> {
                JsonNode m = Json.MAPPER.readTree(d.getBody());
                watched.computeIfAbsent(m.get("stream_id").asText(), k -> ConcurrentHashMap.newKeySet()).add(m.get("frame_number").asInt());
            }, tag -> { });
            ch.confirmSelect();

            publish(ch, 0, 50);
            // a file may be read while a line is appended: read again
            await().atMost(StreamOwnershipAcrossReplicasTest.SETTLE).ignoreExceptions().untilAsserted(() -> {
                for (int replica = 1; replica <= 2; replica++) {
                    Map<String, List<Integer>> archived = archived(root(replica));
                    String name = RUN + "replica-" + replica;
                    List<String> own = STREAMS.stream().filter(s -> owners.get(s).equals(name)).toList();
                    assertThat(archived.keySet()).as("%s archives the streams it records, and no other", name)
                            .containsExactlyInAnyOrderElementsOf(own);
                    own.forEach(s -> assertThat(archived.get(s)).as("%s of %s", name, s).containsExactlyInAnyOrderElementsOf(range(0, 50)));
                }
                STREAMS.forEach(s -> assertThat(watched.get(s)).as("the fanout still carries %s", s).hasSize(50));
            });

            ServiceProcess stopped = group.replicas().get(0);
            String survivor = group.replicas().get(1).name;
            int next = 50;
            long deadline = System.nanoTime() + StreamOwnershipAcrossReplicasTest.SETTLE.toNanos();
            stopped.close(); // SIGTERM, as Kubernetes stops a pod
            while (!STREAMS.stream().allMatch(s -> survivor.equals(owners().get(s))) || !streamQueuesConsumed()) {
                publish(ch, next, next + 5); // results keep coming while the streams move
                next += 5;
                assertThat(System.nanoTime()).as("the streams moved to %s in time", survivor).isLessThan(deadline);
            }
            int moved = next;
            publish(ch, moved, moved + 50);
            int last = moved + 50;

            await().atMost(StreamOwnershipAcrossReplicasTest.SETTLE).ignoreExceptions().untilAsserted(() -> {
                Map<String, List<Integer>> first = archived(root(1));
                Map<String, List<Integer>> second = archived(root(2));
                for (String s : STREAMS) {
                    List<Integer> both = new ArrayList<>(first.getOrDefault(s, List.of()));
                    both.addAll(second.getOrDefault(s, List.of()));
                    assertThat(both).as("every confirmed result of %s once, in one archive or the other", s)
                            .containsExactlyInAnyOrderElementsOf(range(0, last));
                    assertThat(second.get(s)).as("%s's results after the move are the survivor's", s)
                            .containsAll(range(moved, last));
                }
            });
            System.out.printf("%d results per stream; streams moved to %s after %d results per stream%n", last, survivor, moved);
        }
    }

    /** Publishes results {@code from} (inclusive) to {@code to} of every stream, confirmed. */
    private static void publish(Channel ch, int from, int to) throws Exception {
        long ts = System.currentTimeMillis();
        for (int n = from; n < to; n++) {
            for (String stream : STREAMS) {
                byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("schema", ProcessedFrame.SCHEMA, "stream_id", stream,
                        "capture_ts", ts + n, "frame_number", n));
                ch.basicPublish(Exchanges.PROCESSED_FRAMES, stream, MessageProperties.PERSISTENT_BASIC, body);
            }
        }
        ch.waitForConfirmsOrDie(60_000);
    }

    /** Each stream's owner, as the live replicas say. */
    private static Map<String, String> owners() {
        Map<String, String> owners = new TreeMap<>();
        group.owners().forEach((stream, replicas) -> owners.put(stream, replicas.get(0)));
        return owners;
    }

    private static void awaitStreamQueuesConsumed() {
        await().atMost(StreamOwnershipAcrossReplicasTest.SETTLE).until(ArchiveRoutedByStreamTest::streamQueuesConsumed);
    }

    /** Every stream's queue exists and has its consumer (routed before it is consumed). */
    private static boolean streamQueuesConsumed() throws IOException {
        for (String stream : STREAMS) {
            try (Channel probe = connection.createChannel()) {
                AMQP.Queue.DeclareOk state = probe.queueDeclarePassive(QUEUES + "stream." + stream);
                if (state.getConsumerCount() != 1) {
                    return false;
                }
            } catch (IOException e) {
                return false; // not declared yet: the passive declare closed the probe
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IOException(e);
            }
        }
        return true;
    }

    /** The frame numbers of the processed-frame results in an archive, per stream of this run, in file order. */
    private static Map<String, List<Integer>> archived(Path root) throws IOException {
        Map<String, List<Integer>> archived = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return archived;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".processed_frames.jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode m = Json.MAPPER.readTree(line);
                    archived.computeIfAbsent(m.get("stream_id").asText(), k -> new ArrayList<>()).add(m.get("frame_number").asInt());
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        archived.keySet().retainAll(new TreeSet<>(STREAMS));
        return archived;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
