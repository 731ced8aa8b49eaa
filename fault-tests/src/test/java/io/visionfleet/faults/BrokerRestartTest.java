package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real broker restarts under a running fleet: the relay streams a looping clip, frame-processor and slam-service
 * publish a result per processed frame, storage-service archives them, and an independent witness queue keeps what
 * reached the broker. After the stream ends, every processed frame frame-processor counted and every SLAM result
 * slam-service published must be in the archive exactly once, and a prompt sent on the bus must still reach
 * frame-processor (its listener is a connector channel whose queue died with the old connection).
 */
@Tag("integration")
class BrokerRestartTest {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000);
    private static final String STREAM = "brokerrestart" + RUN;
    private static final String QUEUE_PREFIX = "faults" + RUN + ".";
    private static final Duration DOWNTIME = Duration.ofSeconds(15);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    /** Frames between the restarts and after the last one, about ten seconds of the 10 fps clip each. */
    private static final int FRAMES_BETWEEN = 100;

    private static final List<AutoCloseable> started = new ArrayList<>();
    private static RelayProcess relay;
    private static ServiceProbe processor;
    private static ServiceProbe slam;
    private static ServiceProbe storage;
    private static Path archiveRoot;
    private static Witness processedWitness;
    private static Witness slamWitness;

    /** One restart as the test saw it: when the broker stopped and started, and when each service was ready again. */
    private record Restart(long stoppedAtMs, long startedAtMs, Duration brokerUp, Map<String, Duration> ready) {
    }

    @BeforeAll
    static void startFleet() throws Exception {
        BrokerControl.assumeControllable();
        Path work = Files.createDirectories(Path.of("target", "broker-restart-" + RUN)).toAbsolutePath();
        archiveRoot = work.resolve("archive");
        Path clip = SyntheticVideo.mp4(work.resolve("clip.mp4"), 320, 240, 10, 10, 100);
        processedWitness = closing(new Witness("faults.witness.processed." + RUN, Exchanges.PROCESSED_FRAMES));
        slamWitness = closing(new Witness("faults.witness.slam." + RUN, Exchanges.SLAM_RESULTS));
        relay = closing(RelayProcess.start(18411, 18811));
        Map<String, String> consumer = Map.of("fleet.consumer.relay-url", relay.rtspBase(),
                "fleet.consumer.streams", STREAM, "fleet.consumer.follow-stream-events", "false",
                "fleet.consumer.stats-log-interval", "0", "fleet.rabbitmq.recovery-seconds", "1");
        storage = start("storage-service", 18414, "384m", Map.of("fleet.consumer.enabled", "false",
                "fleet.storage.root", archiveRoot.toString(), "fleet.storage.results.queue-prefix", QUEUE_PREFIX,
                "fleet.rabbitmq.recovery-seconds", "1"));
        processor = start("frame-processor", 18412, "768m", consumer);
        Map<String, String> slamConfig = new HashMap<>(consumer);
        slamConfig.put("fleet.slam.output-dir", work.resolve("slam").toString());
        slam = start("slam-service", 18413, "768m", slamConfig);
        await().atMost(READY_DEADLINE).until(() -> storage.ready() && processor.ready() && slam.ready());
        relay.addFileSource(STREAM, clip);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        BrokerControl.startApp(); // whatever happened, leave the broker running
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        try (Connection c = Broker.get().connect(); Channel ch = c.createChannel()) {
            for (String kind : List.of("processed_frames", "slam_results", "ptz_commands", "imu_data")) {
                ch.queueDelete(QUEUE_PREFIX + kind); // durable: would otherwise collect the bus forever
            }
        }
    }

    @Test
    void everyResultIsArchivedExactlyOnceAcrossTwoBrokerRestarts() throws Exception {
        awaitFramesProcessed(FRAMES_BETWEEN / 2);
        List<Restart> restarts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            restarts.add(restartBroker());
            awaitFramesProcessed(framesProcessed() + FRAMES_BETWEEN);
        }
        relay.removeSource(STREAM);
        long processed = processor.awaitDrained(STREAM).framesProcessed();
        slam.awaitDrained(STREAM);
        long processedPublished = published(processor, Exchanges.PROCESSED_FRAMES);
        long slamPublished = published(slam, Exchanges.SLAM_RESULTS);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                ArchivedResults.read(archiveRoot, STREAM, "processed_frames").distinct() >= processed
                        && ArchivedResults.read(archiveRoot, STREAM, "slam_results").distinct() >= slamPublished);
        ResultCount frames = ArchivedResults.read(archiveRoot, STREAM, "processed_frames");
        ResultCount poses = ArchivedResults.read(archiveRoot, STREAM, "slam_results");
        ResultCount framesWitnessed = processedWitness.drain(STREAM);
        ResultCount posesWitnessed = slamWitness.drain(STREAM);

        report(restarts, processed, processedPublished, slamPublished, frames, poses, framesWitnessed, posesWitnessed);
        assertThat(processedPublished).as("frame-processor publishes one result per processed frame").isEqualTo(processed);
        assertThat(frames.distinct()).as("processed frames archived").isEqualTo(processed);
        assertThat(frames.duplicated()).as("processed frames archived twice").isZero();
        assertThat(poses.distinct()).as("SLAM results archived").isEqualTo(slamPublished);
        assertThat(poses.duplicated()).as("SLAM results archived twice").isZero();
        assertThat(framesWitnessed.distinct()).as("processed frames that reached the broker").isEqualTo(processed);
        assertThat(posesWitnessed.distinct()).as("SLAM results that reached the broker").isEqualTo(slamPublished);
        assertPromptsStillArrive();
        for (ServiceProbe service : List.of(processor, slam)) {
            assertThat(service.metric("fleet_bus_outbox_dropped_total", Map.of("reason", "full"))
                    + service.metric("fleet_bus_outbox_dropped_total", Map.of("reason", "expired")))
                    .as("%s outbox drops", service.name()).isZero();
        }
    }

    /** A removal for a stream nobody has is not applied, but frame-processor must take it off the bus. */
    private static void assertPromptsStillArrive() throws Exception {
        byte[] removal = ("{\"schema\":\"prompt/1\",\"stream_id\":\"" + STREAM
                + "-gone\",\"action\":\"remove\",\"object_id\":1}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> tags = Map.of("exchange", Exchanges.PROCESSOR_PROMPTS);
        double before = processor.metric("fleet_processor_bus_prompts_total", tags);
        try (Broker.Tap tap = Broker.get().tap(Exchanges.PROCESSOR_PROMPTS)) {
            tap.publishRaw(Exchanges.PROCESSOR_PROMPTS, removal);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(processor.metric("fleet_processor_bus_prompts_total", tags))
                        .as("prompts frame-processor took from the bus after the restarts").isEqualTo(before + 1));
    }

    /** Stops the broker for {@link #DOWNTIME}, starts it and waits until every service is ready again. */
    private static Restart restartBroker() {
        long stoppedAt = System.currentTimeMillis();
        long startedAt;
        Duration up;
        try {
            BrokerControl.stopApp();
            await().atMost(Duration.ofSeconds(30)).until(() -> !storage.ready() && !processor.ready() && !slam.ready());
            BrokerControl.stayDown(stoppedAt, DOWNTIME);
        } finally {
            BrokerControl.startApp();
            startedAt = System.currentTimeMillis();
        }
        up = BrokerControl.awaitUp(READY_DEADLINE);
        Map<String, Duration> ready = new LinkedHashMap<>();
        for (ServiceProbe service : List.of(storage, processor, slam)) {
            await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(service::ready);
            ready.putIfAbsent(service.name(), Duration.ofMillis(System.currentTimeMillis() - startedAt));
        }
        return new Restart(stoppedAt, startedAt, up, ready);
    }

    private static void report(List<Restart> restarts, long processed, long processedPublished, long slamPublished,
                               ResultCount frames, ResultCount poses, ResultCount framesWitnessed, ResultCount posesWitnessed) {
        System.out.printf("broker restarts: %d, downtime %d s each%n", restarts.size(), DOWNTIME.toSeconds());
        for (int i = 0; i < restarts.size(); i++) {
            Restart r = restarts.get(i);
            long nextStop = i + 1 < restarts.size() ? restarts.get(i + 1).stoppedAtMs() : Long.MAX_VALUE;
            long from = i == 0 ? 0 : r.stoppedAtMs();
            System.out.printf("restart %d: broker accepting connections %d ms after start_app; ready after start_app: %s%n",
                    i + 1, r.brokerUp().toMillis(), r.ready());
            System.out.printf("  captured during the outage: %d processed frames, %d archived; between this stop and the"
                            + " next: lost %d, duplicated %d processed frames; lost %d, duplicated %d SLAM results%n",
                    inWindow(framesWitnessed, r.stoppedAtMs(), r.startedAtMs()),
                    inWindow(frames, r.stoppedAtMs(), r.startedAtMs()),
                    lost(framesWitnessed, frames, from, nextStop), duplicated(frames, from, nextStop),
                    lost(posesWitnessed, poses, from, nextStop), duplicated(poses, from, nextStop));
        }
        System.out.printf("processed frames: %d counted, %d published, %d reached the broker, %d archived (%d twice)%n",
                processed, processedPublished, framesWitnessed.distinct(), frames.distinct(), frames.duplicated());
        System.out.printf("SLAM results: %d published, %d reached the broker, %d archived (%d twice)%n",
                slamPublished, posesWitnessed.distinct(), poses.distinct(), poses.duplicated());
    }

    private static long inWindow(ResultCount count, long fromMs, long toMs) {
        return count.results().stream().filter(r -> r.captureTs() >= fromMs && r.captureTs() < toMs).count();
    }

    private static long lost(ResultCount witnessed, ResultCount archived, long fromMs, long toMs) {
        return witnessed.results().stream().filter(r -> r.captureTs() >= fromMs && r.captureTs() < toMs)
                .filter(r -> !archived.results().contains(r)).count();
    }

    private static long duplicated(ResultCount archived, long fromMs, long toMs) {
        return archived.duplicatedWhere(r -> r.captureTs() >= fromMs && r.captureTs() < toMs);
    }

    private static long framesProcessed() {
        JsonNode streams = processor.json("/streams").orElseThrow();
        for (JsonNode s : streams) {
            if (STREAM.equals(s.path("stream_id").asText())) {
                return s.path("frames_processed").asLong();
            }
        }
        return 0;
    }

    private static void awaitFramesProcessed(long frames) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> framesProcessed() >= frames);
    }

    private static long published(ServiceProbe service, String exchange) {
        return (long) service.metric("fleet_bus_messages_total", Map.of("exchange", exchange, "outcome", "enqueued"));
    }

    private static ServiceProbe start(String module, int port, String heap, Map<String, String> config) {
        ServiceProcess process = closing(ServiceProcess.start(module,
                ServiceProcess.siblingJar(module, "fleet.test." + module + "-jar"), port, heap, config));
        return new ServiceProbe(module, process.baseUri());
    }

    private static <T extends AutoCloseable> T closing(T resource) {
        started.add(resource);
        return resource;
    }
}
