package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.FrameStats;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged fleet as processes: the relay looping {@link SyntheticClip} as stream {@value #STREAM} from its
 * configuration, and the four consuming services following that stream only (no stream events, so nothing but
 * their own reconnects brings them back after a relay restart). Ports are {@code basePort} (relay HTTP), then one
 * per consumer; RTSP is {@code basePort + 400}.
 */
final class StreamingFleet implements AutoCloseable {
    static final String STREAM = "fault-cam";
    static final List<String> CONSUMERS = List.of("frame-processor", "slam-service", "storage-service", "ptz-service");

    /** Started processes, the relay first. */
    private final List<ServiceProcess> started = new ArrayList<>();
    private final RelayProcess relay;
    private final Map<String, ServiceProcess> consumers = new LinkedHashMap<>();

    /** Starts the relay and every consumer; {@code storageRoot} is storage-service's archive. */
    StreamingFleet(int basePort, Path storageRoot) {
        relay = RelayProcess.startRelaying(basePort, basePort + 400, STREAM, SyntheticClip.get());
        started.add(relay.process());
        try {
            for (int i = 0; i < CONSUMERS.size(); i++) {
                String name = CONSUMERS.get(i);
                Map<String, String> config = followConfig(relay);
                config.putAll(ownConfig(name, storageRoot));
                ServiceProcess service = ServiceProcess.start(name, ServiceProcess.siblingJar(name, "fleet.test." + name + "-jar"),
                        basePort + 1 + i, "384m", config);
                started.add(service);
                consumers.put(name, service);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Consumer configuration that follows {@value #STREAM} on {@code relay}, and nothing else. */
    static Map<String, String> followConfig(RelayProcess relay) {
        return new HashMap<>(Map.of(
                "fleet.consumer.enabled", "true",
                "fleet.consumer.relay-url", relay.rtspBase(),
                "fleet.consumer.streams", STREAM,
                "fleet.consumer.follow-stream-events", "false"));
    }

    private static Map<String, String> ownConfig(String service, Path storageRoot) {
        return switch (service) {
            case "slam-service" -> Map.of("fleet.slam.output-dir", Path.of("target", "slam-output").toAbsolutePath().toString());
            case "storage-service" -> Map.of(
                    "fleet.storage.root", storageRoot.toAbsolutePath().toString(),
                    "fleet.storage.segment-length", "2s",
                    "fleet.storage.retention.min-free", "1M",
                    // the results archive's durable queues are another fault's subject; this one is video only
                    "fleet.storage.results.enabled", "false");
            // the simulated PTZ camera would publish a stream of its own into ingest
            case "ptz-service" -> Map.of("fleet.ptz.cameras.sim.simulator.ingest-url", "");
            default -> Map.of();
        };
    }

    RelayProcess relay() {
        return relay;
    }

    ServiceProcess consumer(String name) {
        return consumers.get(name);
    }

    /** The consumer's {@code /streams} entry for {@value #STREAM}. */
    FrameStats stats(String consumer) {
        for (JsonNode stats : Http.json(consumers.get(consumer).baseUri() + "/streams")) {
            if (stats.path("stream_id").asText().equals(STREAM)) {
                return Json.MAPPER.convertValue(stats, FrameStats.class);
            }
        }
        throw new IllegalStateException(consumer + " does not follow " + STREAM);
    }

    /** True when every consumer received a frame in the last second. */
    boolean allStreaming() {
        return CONSUMERS.stream().allMatch(c -> {
            long age = stats(c).lastFrameAgeMs();
            return age >= 0 && age < 1000;
        });
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
