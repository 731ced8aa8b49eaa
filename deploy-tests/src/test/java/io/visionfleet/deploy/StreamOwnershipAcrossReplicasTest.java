package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.sim.scene.SyntheticVideo;
import io.visionfleet.common.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream ownership with real replicas: three ptz-service processes (its consumer decodes and counts every frame)
 * share four streams of a real relay through the real broker, at most two each ({@link ReplicaGroup}). One replica is
 * killed like a crashed container; its streams must run on the others (the time it took is printed), and no stream
 * may ever run on two replicas for longer than the lease period.
 */
@Tag("integration")
class StreamOwnershipAcrossReplicasTest {
    static final String SERVICE = "ptz-service";
    private static final int FIRST_PORT = 24301;
    static final int MAX_STREAMS = 2;
    /** Twice the default 5 s heartbeat of the lease connection: how long a cut-off replica may still run a stream. */
    static final Duration LEASE_PERIOD = Duration.ofSeconds(10);
    /** For what takes seconds on an idle machine (a claim, a takeover, a heartbeat): far above that. */
    static final Duration SETTLE = Duration.ofMinutes(2);

    private static final String RUN = "own" + System.currentTimeMillis() % 1_000_000 + "-";
    private static final List<String> PINNED = IntStream.rangeClosed(1, 3).mapToObj(i -> RUN + "s" + i).toList();
    private static final String ANNOUNCED = RUN + "s4";

    private static RelayProcess relay;
    private static Path clip;
    private static ReplicaGroup group;

    @BeforeAll
    static void startRelayAndReplicas() throws Exception {
        relay = RelayProcess.start(24299, 24699);
        clip = clip("ownership");
        PINNED.forEach(id -> relay.addFileSource(id, clip));
        group = ReplicaGroup.start(SERVICE, "ownership-it-" + RUN, 3, FIRST_PORT, MAX_STREAMS, RUN,
                consumerOf(relay, PINNED, true));
    }

    /** A 4 s synthetic clip that the relay loops. */
    static Path clip(String dir) throws Exception {
        return SyntheticVideo.mp4(Files.createTempDirectory(dir).resolve("clip.mp4"), 160, 120, 10, 10, 40);
    }

    /** ptz-service's consumer (it pulls pictures only when told to) on {@code relay}'s {@code pinned} streams. */
    static Map<String, String> consumerOf(RelayProcess relay, List<String> pinned, boolean followEvents) {
        return Map.of("fleet.consumer.enabled", "true",
                "fleet.consumer.follow-stream-events", Boolean.toString(followEvents),
                "fleet.consumer.relay-url", relay.rtspBase(),
                "fleet.consumer.streams", String.join(",", pinned));
    }

    @AfterAll
    static void stopAll() throws Exception {
        try (RelayProcess r = relay; ReplicaGroup g = group) {
            // both closed, the replicas first; either may be null when the start failed
        }
    }

    @Test
    void streamsAreSpreadClaimedWhenAnnouncedAndTakenOverWhenAReplicaDies() throws Exception {
        await().atMost(SETTLE).untilAsserted(() -> {
            group.assertEachProcessedByOneReplica(PINNED);
            assertThat(group.replicas()).allSatisfy(r -> assertThat(r.get("/ownership").orElseThrow().get("owned")).hasSize(1));
        });
        JsonNode ready = group.replicas().get(0).get("/q/health/ready").orElseThrow();
        assertThat(ready.toString()).contains("stream-ownership").contains("\"replicas\":3");

        relay.addFileSource(ANNOUNCED, clip); // ingest-server announces it on stream_events_exchange
        List<String> all = new ArrayList<>(PINNED);
        all.add(ANNOUNCED);
        await().atMost(SETTLE).untilAsserted(() -> group.assertEachProcessedByOneReplica(all));

        ServiceProcess victim = group.replicas().stream().max((a, b) -> Integer.compare(
                a.get("/ownership").orElseThrow().get("owned").size(), b.get("/ownership").orElseThrow().get("owned").size())).orElseThrow();
        List<String> orphaned = new ArrayList<>();
        victim.get("/ownership").orElseThrow().get("owned").forEach(s -> orphaned.add(s.asText()));
        assertThat(orphaned).hasSize(MAX_STREAMS);
        assertThat(group.samples()).as("samples before the kill").isPositive();
        long killedAt = System.nanoTime();
        victim.kill();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> group.assertEachProcessedByOneReplica(all));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;

        group.awaitMembers(2, SETTLE);
        Map<String, Long> longest = group.assertNoDoubleProcessingFor(LEASE_PERIOD, SETTLE);
        System.out.printf("streams %s of killed %s run elsewhere after %d ms; longest double processing per stream: %s ms%n",
                orphaned, victim.name, takeoverMs, longest);
    }
}
