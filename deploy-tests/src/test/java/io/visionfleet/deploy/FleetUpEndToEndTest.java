package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The README's main job, {@code ./fleet up}, on this machine: relay, every service and a simulated drone start as
 * processes; every service gets ready, results flow on every fleet exchange and a recording segment is on disk (how
 * long after {@code up} is printed); {@code ./fleet down} then stops it all. It runs on its own ports and state
 * directory, so a fleet the developer runs is left alone.
 */
@Tag("integration")
class FleetUpEndToEndTest {
    /** For what takes seconds on an idle machine (results of a fleet that is up): far above that. */
    private static final Duration SETTLE = Duration.ofMinutes(3);
    /** {@code ./fleet up} itself waits up to 90 s for the relay, then up to 90 s for the services to be ready. */
    private static final Duration UP = Duration.ofMinutes(5);
    /**
     * Exchanges that no service of the fleet publishes to yet, and why. Kept exact: when one of them starts carrying
     * messages this test fails until it is removed from here, and from then on it is required like the others.
     */
    static final Map<String, String> PENDING = Map.of();

    private static final String STREAM = "e2e" + System.currentTimeMillis() % 1_000_000;
    private static final int OFFSET = 16310;
    private static final int RELAY_PORT = 24395;
    private static final LocalFleet FLEET = new LocalFleet(STREAM, OFFSET, RELAY_PORT, Path.of("target", "fleet-e2e"),
            Map.of("JAVA_OPTS", "-Xmx320m", "FLEET_DRONE_ARGS", "--width 320 --height 240 --fps 15",
                    // short segments, so one closes soon
                    "FLEET_STORAGE_SEGMENT_LENGTH", "5s"));
    private static final Path HOME = FLEET.home;
    private static final Map<String, Broker.Tap> taps = new LinkedHashMap<>();

    private static LocalFleet.Result fleet(Duration timeout, String... args) throws IOException, InterruptedException {
        return FLEET.fleet(timeout, args);
    }

    @BeforeAll
    static void tapEveryExchange() throws Exception {
        for (String exchange : Exchanges.ALL) {
            taps.put(exchange, Broker.get().tap(exchange));
        }
        Repo.applications().forEach(Repo::runJar); // packaged by the build before this module; ./fleet up would build them
    }

    @AfterAll
    static void downAndClose() throws Exception {
        try {
            FLEET.downAndCheck();
        } finally {
            for (Broker.Tap tap : taps.values()) {
                tap.close();
            }
        }
    }

    /** Messages of this fleet on {@code exchange}: the drone's, or on ptz_commands_exchange its simulated camera's. */
    private static Predicate<JsonNode> ofOurStream(String exchange) {
        String stream = exchange.equals(Exchanges.PTZ_COMMANDS) ? FLEET.ptzStream() : STREAM;
        return message -> stream.equals(message.path("stream_id").asText());
    }

    @Test
    void upStartsAFleetWhoseResultsFlowOnEveryExchange() throws Exception {
        long started = System.nanoTime();
        LocalFleet.Result up = fleet(UP, "up");
        assertThat(up.exit()).as(up.output()).isZero();
        long ready = System.nanoTime(); // up returns once every service is ready
        assertThat(up.output()).contains("rtsp://localhost:" + RELAY_PORT + "/" + STREAM, "http://localhost:15672",
                "http://localhost:" + (8081 + OFFSET) + "/streams/" + STREAM + "/overlay.mjpeg",
                "http://localhost:" + (8080 + OFFSET) + "/rtsp/status");

        // status probes each service once, with a 5 s limit that a loaded machine may miss now and then
        await().atMost(SETTLE).untilAsserted(() -> {
            LocalFleet.Result status = fleet(Duration.ofSeconds(60), "status");
            assertThat(status.exit()).as(status.output()).isZero();
            for (String app : Repo.applications()) {
                assertThat(status.output()).as(status.output()).containsPattern("(?m)^" + app + " +running \\(pid \\d+\\) +"
                        + (app.equals("drone-sim") ? "-" : "ready") + "$");
            }
        });

        String viewer = "Authorization: Bearer " + FLEET.viewerToken(); // reads are private: the viewer's token reads
        for (String service : Repo.consumers().stream().filter(Repo::pullsStreams).toList()) {
            int port = Repo.httpPort(service) + OFFSET;
            await().atMost(SETTLE).untilAsserted(() -> assertThat(CommandLine.run(Duration.ofSeconds(10),
                    "curl", "-fsS", "-H", viewer, "http://127.0.0.1:" + port + "/ownership"))
                    .as("%s owns the stream, one replica of its group", service)
                    .contains("\"group\":\"" + service + "\"", "\"" + STREAM + "\"", "\"replicas\":1"));
        }

        Map<String, JsonNode> first = new LinkedHashMap<>();
        for (String exchange : Exchanges.ALL) {
            if (PENDING.containsKey(exchange)) {
                continue;
            }
            Duration left = SETTLE.minusNanos(System.nanoTime() - ready);
            try {
                first.put(exchange, taps.get(exchange).poll(left.isNegative() ? Duration.ZERO : left, ofOurStream(exchange)));
            } catch (AssertionError e) {
                fail("nothing of this fleet on %s within %s of ./fleet up being ready", exchange, SETTLE);
            }
        }
        System.out.printf("./fleet up: results on every exchange %d s after it started%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        assertThat(first.get(Exchanges.STREAM_EVENTS).get("event").asText()).isEqualTo("stream.started");

        JsonNode segment = first.get(Exchanges.RECORDINGS);
        Path file = HOME.resolve("recordings").resolve(segment.get("path").asText());
        assertThat(file).as("the closed segment on disk").isRegularFile().hasSize(segment.get("size_bytes").asLong());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            assertThat(new String(head, 4, 4, StandardCharsets.US_ASCII)).as("an MP4 file").isEqualTo("ftyp");
        }

        PENDING.forEach((exchange, why) -> {
            try {
                taps.get(exchange).poll(Duration.ofSeconds(1), ofOurStream(exchange));
            } catch (AssertionError | InterruptedException stillSilent) {
                System.out.printf("still missing: %s: %s%n", exchange, why);
                return;
            }
            fail("%s now carries results: remove it from FleetUpEndToEndTest.PENDING (%s)", exchange, why);
        });
    }
}
