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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream ownership with real replicas: three ptz-service processes (its consumer decodes and counts every frame)
 * share four streams of a real relay through the real broker, at most two each. A sampler reads every replica's
 * {@code GET /streams} four times a second to see which replicas process which stream. One replica is killed like a
 * crashed container; its streams must run on the others (the time it took is printed), and no stream may ever run on
 * two replicas for longer than the lease period.
 */
@Tag("integration")
class StreamOwnershipAcrossReplicasTest {
    private static final String SERVICE = "ptz-service";
    private static final int FIRST_PORT = 18301;
    private static final int MAX_STREAMS = 2;
    /** Twice the default 5 s heartbeat of the lease connection: how long a cut-off replica may still run a stream. */
    private static final Duration LEASE_PERIOD = Duration.ofSeconds(10);
    /** For what takes seconds on an idle machine (a claim, a takeover, a heartbeat): far above that. */
    private static final Duration SETTLE = Duration.ofMinutes(2);

    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000);
    private static final List<String> PINNED = IntStream.rangeClosed(1, 3).mapToObj(i -> "own" + RUN + "-s" + i).toList();
    private static final String ANNOUNCED = "own" + RUN + "-s4";

    private static RelayProcess relay;
    private static Path clip;
    private static final List<ServiceProcess> replicas = new CopyOnWriteArrayList<>();
    private static final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    /** Per stream, since when (ms) two or more replicas have been processing it, while they are. */
    private static final Map<String, Long> doubleSince = new ConcurrentHashMap<>();
    private static final Map<String, Long> longestDoubleMs = new ConcurrentHashMap<>();
    private static final AtomicInteger samples = new AtomicInteger();

    @BeforeAll
    static void startRelayAndReplicas() throws Exception {
        relay = RelayProcess.start(18299, 18699);
        clip = SyntheticVideo.mp4(Files.createTempDirectory("ownership").resolve("clip.mp4"), 160, 120, 10, 10, 40);
        PINNED.forEach(id -> relay.addFileSource(id, clip));
        String group = "ownership-it-" + RUN;
        for (int i = 0; i < 3; i++) {
            replicas.add(ServiceProcess.start(SERVICE, "replica-" + (i + 1), FIRST_PORT + i, Map.of(
                    // ptz-service pulls pictures only when told to (for cameras whose handoff compares colours)
                    "fleet.consumer.enabled", "true",
                    "fleet.consumer.follow-stream-events", "true",
                    "fleet.consumer.relay-url", relay.rtspBase(),
                    "fleet.consumer.streams", String.join(",", PINNED),
                    "fleet.consumer.ownership.enabled", "true",
                    "fleet.consumer.ownership.max-streams", Integer.toString(MAX_STREAMS),
                    "fleet.consumer.ownership.group", group,
                    "fleet.consumer.ownership.replica-id", "replica-" + (i + 1),
                    "fleet.consumer.stats-log-interval", "0")));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(replicas).allSatisfy(r -> assertThat(r.get("/q/health/ready")).as(r.toString()).isPresent()));
        sampler.scheduleAtFixedRate(StreamOwnershipAcrossReplicasTest::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stopAll() throws Exception {
        sampler.shutdownNow();
        for (ServiceProcess r : replicas) {
            r.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    /** Streams each live replica is processing now: those its consumer follows, by {@code GET /streams}. */
    private static Map<String, List<String>> processing() {
        Map<String, List<String>> byStream = new TreeMap<>();
        for (ServiceProcess r : replicas) {
            if (r.alive()) {
                r.get("/streams").ifPresent(streams -> streams.forEach(s ->
                        byStream.computeIfAbsent(s.get("stream_id").asText(), k -> new ArrayList<>()).add(r.name)));
            }
        }
        return byStream;
    }

    private static void sample() {
        long now = System.currentTimeMillis();
        Map<String, List<String>> byStream = processing();
        for (String stream : Set.copyOf(doubleSince.keySet())) {
            if (byStream.getOrDefault(stream, List.of()).size() < 2) {
                doubleSince.remove(stream);
            }
        }
        byStream.forEach((stream, owners) -> {
            if (owners.size() >= 2) {
                long since = doubleSince.computeIfAbsent(stream, k -> now);
                longestDoubleMs.merge(stream, now - since, Math::max);
            }
        });
        samples.incrementAndGet();
    }

    private static Set<String> ownStreams(Set<String> streams) {
        return streams.stream().filter(id -> id.startsWith("own" + RUN + "-")).collect(Collectors.toSet());
    }

    /** Stream to the replicas whose {@code GET /ownership} says they own it. */
    private static Map<String, List<String>> owners() {
        Map<String, List<String>> owners = new TreeMap<>();
        for (ServiceProcess r : replicas) {
            if (r.alive()) {
                r.get("/ownership").ifPresent(v -> v.get("owned").forEach(s ->
                        owners.computeIfAbsent(s.asText(), k -> new ArrayList<>()).add(r.name)));
            }
        }
        return owners;
    }

    /** Frames the replica processed of each stream it follows. */
    private static Map<String, Long> framesProcessed(ServiceProcess r) {
        Map<String, Long> frames = new HashMap<>();
        r.get("/streams").ifPresent(streams -> streams.forEach(s -> frames.put(s.get("stream_id").asText(), s.get("frames_processed").asLong())));
        return frames;
    }

    /** Every stream in {@code streams} is owned by exactly one live replica, which decodes its frames. */
    private static void assertEachProcessedByOneReplica(List<String> streams) {
        Map<String, List<String>> owners = owners();
        // streams other relays on the shared broker announce (stream.active) may be claimed too: judge only ours
        owners.keySet().retainAll(ownStreams(owners.keySet()));
        assertThat(owners).containsOnlyKeys(streams);
        owners.forEach((stream, o) -> assertThat(o).as("owners of %s", stream).hasSize(1));
        for (ServiceProcess r : replicas) {
            if (!r.alive()) {
                continue;
            }
            Map<String, Long> frames = framesProcessed(r);
            frames.keySet().retainAll(ownStreams(frames.keySet()));
            List<String> owned = owners.entrySet().stream().filter(e -> e.getValue().contains(r.name)).map(Map.Entry::getKey).toList();
            assertThat(frames.keySet()).as("%s processes exactly what it owns", r.name).containsExactlyInAnyOrderElementsOf(owned);
            frames.forEach((stream, n) -> assertThat(n).as("%s frames of %s", r.name, stream).isPositive());
            assertThat(owned).as("%s stays under its cap", r.name).hasSizeLessThanOrEqualTo(MAX_STREAMS);
        }
    }

    @Test
    void streamsAreSpreadClaimedWhenAnnouncedAndTakenOverWhenAReplicaDies() throws Exception {
        await().atMost(SETTLE).untilAsserted(() -> {
            assertEachProcessedByOneReplica(PINNED);
            assertThat(replicas).allSatisfy(r -> assertThat(r.get("/ownership").orElseThrow().get("owned")).hasSize(1));
        });
        ServiceProcess first = replicas.get(0);
        JsonNode ready = first.get("/q/health/ready").orElseThrow();
        assertThat(ready.toString()).contains("stream-ownership").contains("\"replicas\":3");

        relay.addFileSource(ANNOUNCED, clip); // ingest-server announces it on stream_events_exchange
        List<String> all = new ArrayList<>(PINNED);
        all.add(ANNOUNCED);
        await().atMost(SETTLE).untilAsserted(() -> assertEachProcessedByOneReplica(all));

        ServiceProcess victim = replicas.stream().max((a, b) -> Integer.compare(
                a.get("/ownership").orElseThrow().get("owned").size(), b.get("/ownership").orElseThrow().get("owned").size())).orElseThrow();
        List<String> orphaned = new ArrayList<>();
        victim.get("/ownership").orElseThrow().get("owned").forEach(s -> orphaned.add(s.asText()));
        assertThat(orphaned).hasSize(MAX_STREAMS);
        int sampledBeforeKill = samples.get();
        long killedAt = System.nanoTime();
        victim.kill();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertEachProcessedByOneReplica(all));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("streams %s of killed %s run elsewhere after %d ms; longest double processing per stream: %s ms%n",
                orphaned, victim.name, takeoverMs, longestDoubleMs);

        // the member count is refreshed on the heartbeat, which may come after the leases have moved
        await().atMost(SETTLE).untilAsserted(() -> assertThat(replicas.stream().filter(ServiceProcess::alive))
                .allSatisfy(r -> assertThat(r.get("/ownership").orElseThrow().get("replicas").asInt()).isEqualTo(2)));
        // the sampler watched from before the kill to after the takeover, however often the load let it sample
        int sampledAfterTakeover = samples.get();
        await().atMost(SETTLE).until(() -> samples.get() >= sampledAfterTakeover + 2);
        assertThat(sampledBeforeKill).as("samples before the kill").isPositive();
        assertThat(longestDoubleMs.values()).as("no stream runs on two replicas longer than the lease period")
                .allSatisfy(ms -> assertThat(ms).isLessThan(LEASE_PERIOD.toMillis()));
    }
}
