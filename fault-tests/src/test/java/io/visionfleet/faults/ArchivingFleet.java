package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.LocalCluster;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;
import io.visionfleet.sim.scene.SyntheticVideo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet whose results must all be archived, as processes: the relay streams a looping clip, frame-processor and
 * slam-service publish a result per processed frame, storage-service records the stream and archives its results
 * (from the stream's own queue once it records it, from the shared queues before), and an independent witness queue
 * per result exchange keeps what reached the broker. Ports: {@code basePort} (relay HTTP, RTSP {@code basePort +
 * 400}), frame-processor, slam-service and storage-service after it.
 */
final class ArchivingFleet implements AutoCloseable {
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    /** What the run produced, reached the broker and was archived, once the stream has ended. */
    record Tally(long processed, long processedPublished, long slamPublished, ResultCount frames, ResultCount poses,
                 ResultCount framesWitnessed, ResultCount posesWitnessed) {
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final String stream;
    private final String queuePrefix;
    private final Broker broker;
    private final Path archiveRoot;
    private final RelayProcess relay;
    private final ServiceProbe processor;
    private final ServiceProbe slam;
    private final ServiceProbe storage;
    private final Witness processedWitness;
    private final Witness slamWitness;

    /**
     * Starts the fleet for stream {@code stream} with its work in {@code target/<stream>}; the services connect as
     * {@code bus} says (their {@code fleet.rabbitmq.*} settings), the witnesses and the clean-up through {@code broker}.
     */
    ArchivingFleet(String stream, int basePort, Broker broker, Map<String, String> bus) throws Exception {
        this.stream = stream;
        this.queuePrefix = stream + ".";
        this.broker = broker;
        try {
            Path work = Files.createDirectories(Path.of("target", stream)).toAbsolutePath();
            archiveRoot = work.resolve("archive");
            Path clip = SyntheticVideo.mp4(work.resolve("clip.mp4"), 320, 240, 10, 10, 100);
            processedWitness = closing(new Witness(broker, "faults.witness.processed." + stream, Exchanges.PROCESSED_FRAMES));
            slamWitness = closing(new Witness(broker, "faults.witness.slam." + stream, Exchanges.SLAM_RESULTS));
            relay = closing(RelayProcess.start(basePort, basePort + 400));
            Map<String, String> common = new HashMap<>(bus);
            common.put("fleet.rabbitmq.recovery-seconds", "1");
            Map<String, String> consumer = new HashMap<>(common);
            consumer.putAll(Map.of("fleet.consumer.relay-url", relay.rtspBase(), "fleet.consumer.streams", stream,
                    "fleet.consumer.follow-stream-events", "false", "fleet.consumer.stats-log-interval", "0"));
            Map<String, String> storageConfig = new HashMap<>(consumer);
            storageConfig.putAll(Map.of("fleet.storage.root", archiveRoot.toString(),
                    "fleet.storage.results.queue-prefix", queuePrefix));
            storage = start("storage-service", basePort + 3, "384m", storageConfig);
            processor = start("frame-processor", basePort + 1, "768m", consumer);
            Map<String, String> slamConfig = new HashMap<>(consumer);
            slamConfig.put("fleet.slam.output-dir", work.resolve("slam").toString());
            slam = start("slam-service", basePort + 2, "768m", slamConfig);
            awaitReady();
            relay.addFileSource(stream, clip);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    ServiceProbe processor() {
        return processor;
    }

    /** The three services, storage first. */
    List<ServiceProbe> services() {
        return List.of(storage, processor, slam);
    }

    /** The archive's shared queue for results of kind {@code kind} ({@code processed_frames}, ...). */
    String archiveQueue(String kind) {
        return queuePrefix + kind;
    }

    /** The archive's queue of the stream, which carries its results of every kind while storage records it. */
    String streamQueue() {
        return queuePrefix + "stream." + stream;
    }

    /** The node that leads the stream's archive queue, once storage has declared it. */
    String streamQueueLeader() {
        return await().atMost(READY_DEADLINE).ignoreExceptions().until(() -> LocalCluster.leaderOf(streamQueue()), l -> !l.isEmpty());
    }

    void awaitReady() {
        await().atMost(READY_DEADLINE).until(() -> services().stream().allMatch(ServiceProbe::ready));
    }

    long framesProcessed() {
        JsonNode streams = processor.json("/streams").orElseThrow();
        for (JsonNode s : streams) {
            if (stream.equals(s.path("stream_id").asText())) {
                return s.path("frames_processed").asLong();
            }
        }
        return 0;
    }

    void awaitFramesProcessed(long frames) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> framesProcessed() >= frames);
    }

    /** Ends the stream, waits until every processed frame is archived (or 90 s) and counts everything. */
    Tally finish() throws Exception {
        relay.removeSource(stream);
        long processed = processor.awaitDrained(stream).framesProcessed();
        slam.awaitDrained(stream);
        long processedPublished = published(processor, Exchanges.PROCESSED_FRAMES);
        long slamPublished = published(slam, Exchanges.SLAM_RESULTS);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                ArchivedResults.read(archiveRoot, stream, "processed_frames").distinct() >= processed
                        && ArchivedResults.read(archiveRoot, stream, "slam_results").distinct() >= slamPublished);
        return new Tally(processed, processedPublished, slamPublished, ArchivedResults.read(archiveRoot, stream, "processed_frames"),
                ArchivedResults.read(archiveRoot, stream, "slam_results"), processedWitness.drain(stream), slamWitness.drain(stream));
    }

    /** Every result published reached the broker and is archived exactly once, and no publisher dropped one. */
    void assertArchivedExactlyOnce(Tally t) {
        assertThat(t.processedPublished()).as("frame-processor publishes one result per processed frame").isEqualTo(t.processed());
        assertThat(t.frames().distinct()).as("processed frames archived").isEqualTo(t.processed());
        assertThat(t.frames().duplicated()).as("processed frames archived twice").isZero();
        assertThat(t.poses().distinct()).as("SLAM results archived").isEqualTo(t.slamPublished());
        assertThat(t.poses().duplicated()).as("SLAM results archived twice").isZero();
        assertThat(t.framesWitnessed().distinct()).as("processed frames that reached the broker").isEqualTo(t.processed());
        assertThat(t.posesWitnessed().distinct()).as("SLAM results that reached the broker").isEqualTo(t.slamPublished());
        for (ServiceProbe service : List.of(processor, slam)) {
            assertThat(service.metric("fleet_bus_outbox_dropped_total", Map.of("reason", "full"))
                    + service.metric("fleet_bus_outbox_dropped_total", Map.of("reason", "expired")))
                    .as("%s outbox drops", service.name()).isZero();
        }
    }

    /** Stops everything it started and deletes the archive's durable queues, which would collect the bus forever. */
    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
        ArchiveQueues.delete(broker, queuePrefix, stream);
    }

    private static long published(ServiceProbe service, String exchange) {
        return (long) service.metric("fleet_bus_messages_total", Map.of("exchange", exchange, "outcome", "enqueued"));
    }

    private ServiceProbe start(String module, int port, String heap, Map<String, String> config) {
        ServiceProcess process = closing(ServiceProcess.start(module,
                ServiceProcess.siblingJar(module, "fleet.test." + module + "-jar"), port, heap, config));
        return new ServiceProbe(module, process.baseUri());
    }

    private <T extends AutoCloseable> T closing(T resource) {
        started.add(resource);
        return resource;
    }
}
