package io.visionfleet.deploy;

import org.assertj.core.api.Assertions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas of one service that share a run's streams through stream ownership, each a {@link ServiceProcess}, and a
 * sampler that reads every replica's {@code GET /streams} four times a second to record how long any stream ran on
 * two replicas at once. Streams of this run are those whose id starts with {@code prefix}: other tests' relays on the
 * same broker may announce streams of their own.
 */
final class ReplicaGroup implements AutoCloseable {
    private final String prefix;
    private final int maxStreams;
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    /** Per stream, since when (ms) two or more replicas have been processing it, while they are. */
    private final Map<String, Long> doubleSince = new ConcurrentHashMap<>();
    private final Map<String, Long> longestDoubleMs = new ConcurrentHashMap<>();
    private final AtomicInteger samples = new AtomicInteger();

    private ReplicaGroup(String prefix, int maxStreams) {
        this.prefix = prefix;
        this.maxStreams = maxStreams;
    }

    /**
     * Starts {@code count} replicas of {@code module} with replica ids {@code replica-<i>} on ports from {@code firstPort}, each
     * in ownership group {@code group} with {@code config}, and starts sampling once all are ready.
     */
    static ReplicaGroup start(String module, String group, int count, int firstPort, int maxStreams, String prefix,
                              Map<String, String> config) {
        return start(module, group, count, firstPort, maxStreams, prefix, config, i -> Map.of());
    }

    /** As above, replica {@code i} (from 1) also with {@code perReplica.apply(i)} (its own data directory, say). */
    static ReplicaGroup start(String module, String group, int count, int firstPort, int maxStreams, String prefix,
                              Map<String, String> config, IntFunction<Map<String, String>> perReplica) {
        ReplicaGroup g = new ReplicaGroup(prefix, maxStreams);
        for (int i = 1; i <= count; i++) {
            Map<String, String> own = new HashMap<>(config);
            own.putAll(perReplica.apply(i));
            own.putAll(Map.of("fleet.consumer.ownership.enabled", "true",
                    "fleet.consumer.ownership.max-streams", Integer.toString(maxStreams),
                    "fleet.consumer.ownership.group", group,
                    "fleet.consumer.ownership.replica-id", "replica-" + i,
                    "fleet.consumer.stats-log-interval", "0"));
            g.replicas.add(ServiceProcess.start(module, prefix + "replica-" + i, firstPort + i - 1, own)); // its log's name
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(g.replicas).allSatisfy(r -> assertThat(r.get("/q/health/ready")).as(r.toString()).isPresent()));
        g.sampler.scheduleAtFixedRate(g::sample, 0, 250, TimeUnit.MILLISECONDS);
        return g;
    }

    List<ServiceProcess> replicas() {
        return replicas;
    }

    /** Streams of this run to the live replicas whose {@code GET /ownership} says they own it. */
    Map<String, List<String>> owners() {
        Map<String, List<String>> owners = new TreeMap<>();
        for (ServiceProcess r : replicas) {
            if (r.alive()) {
                r.get("/ownership").ifPresent(v -> v.get("owned").forEach(s ->
                        owners.computeIfAbsent(s.asText(), k -> new ArrayList<>()).add(r.name)));
            }
        }
        owners.keySet().removeIf(s -> !ours(s));
        return owners;
    }

    /** Every stream in {@code streams} is owned by exactly one live replica, which decodes its frames; no other is. */
    void assertEachProcessedByOneReplica(List<String> streams) {
        Map<String, List<String>> owners = owners();
        assertThat(owners).containsOnlyKeys(streams);
        owners.forEach((stream, o) -> assertThat(o).as("owners of %s", stream).hasSize(1));
        for (ServiceProcess r : replicas) {
            if (!r.alive()) {
                continue;
            }
            Map<String, Long> frames = framesProcessed(r);
            List<String> owned = owners.entrySet().stream().filter(e -> e.getValue().contains(r.name)).map(Map.Entry::getKey).toList();
            assertThat(frames.keySet()).as("%s processes exactly what it owns", r.name).containsExactlyInAnyOrderElementsOf(owned);
            frames.forEach((stream, n) -> assertThat(n).as("%s frames of %s", r.name, stream).isPositive());
            assertThat(owned).as("%s stays under its cap", r.name).hasSizeLessThanOrEqualTo(maxStreams);
        }
    }

    /** Waits until every live replica counts {@code members} replicas in the group (refreshed on its heartbeat). */
    void awaitMembers(int members, Duration within) {
        await().atMost(within).untilAsserted(() -> assertThat(replicas.stream().filter(ServiceProcess::alive))
                .allSatisfy(r -> assertThat(r.get("/ownership").orElseThrow().get("replicas").asInt()).as(r.name).isEqualTo(members)));
    }

    /**
     * Waits for two more samples, so that the sampler has watched until now however often the load let it sample,
     * and checks that no stream ran on two replicas for {@code bound} or longer; returns the longest per stream (ms).
     */
    Map<String, Long> assertNoDoubleProcessingFor(Duration bound, Duration within) {
        int sampled = samples.get();
        await().atMost(within).until(() -> samples.get() >= sampled + 2);
        Assertions.assertThat(longestDoubleMs.values()).as("no stream runs on two replicas for %s or longer", bound)
                .allSatisfy(ms -> assertThat(ms).isLessThan(bound.toMillis()));
        return Map.copyOf(longestDoubleMs);
    }

    int samples() {
        return samples.get();
    }

    private boolean ours(String stream) {
        return stream.startsWith(prefix);
    }

    /** Frames the replica processed of each stream of this run it follows. */
    private Map<String, Long> framesProcessed(ServiceProcess r) {
        Map<String, Long> frames = new HashMap<>();
        r.get("/streams").ifPresent(streams -> streams.forEach(s -> frames.put(s.get("stream_id").asText(), s.get("frames_processed").asLong())));
        frames.keySet().removeIf(s -> !ours(s));
        return frames;
    }

    private void sample() {
        long now = System.currentTimeMillis();
        Map<String, List<String>> byStream = new TreeMap<>();
        for (ServiceProcess r : replicas) {
            if (r.alive()) {
                framesProcessed(r).keySet().forEach(s -> byStream.computeIfAbsent(s, k -> new ArrayList<>()).add(r.name));
            }
        }
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

    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        for (ServiceProcess r : replicas) {
            r.close();
        }
    }
}
