package io.visionfleet.deploy;

import io.visionfleet.common.testing.FleetToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet in real containers, as {@code ./fleet compose up --broker-cluster} starts it: the images built from the
 * Debian-made bases (podman here, or a Docker engine), RabbitMQ as three nodes with the archive's quorum queues on all
 * of them, the CPU profile with two frame-processor and two slam-service replicas, and two simulated drones. Every container must be healthy, each stream processed by exactly one replica of each service,
 * results must reach the RabbitMQ inspection queues and recordings the volume, and the dashboard must send a
 * per-stream call to the replica that owns the stream.
 *
 * <p>With {@code -Dfleet.containers=full} ({@code ./fleet test --containers}) it also kills the frame-processor
 * container that owns a stream and requires the other replica to take it over (the time it took is printed).
 *
 * <p>Each condition is waited for: health is a check every 10 s, ownership settles by leases, the dashboard's view of
 * the replicas by rounds every 2 s, and all of it runs late when the scaled fleet loads two cores (load average 20).
 *
 * <p>Skipped, with the reason printed, only where no container can run: {@code ./fleet compose} exits 3 then (no
 * Docker engine and podman neither installable nor able to start a container).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class ComposeFleetTest {
    private static final String PROJECT = "vf-compose-test";
    /**
     * Published ports 19672-29672: below Linux's ephemeral range (32768 up), where any client connection of the
     * machine may hold a port by chance (31000 once met "bind: address already in use" on 36672).
     */
    private static final int OFFSET = 14000;
    private static final List<String> STREAMS = List.of("drone", "drone2");
    /** For what takes seconds on an idle machine (health, an owner per stream, routing, a takeover): far above that. */
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path HOME = Repo.path("deploy-tests/target/compose-fleet");
    private static final String DASHBOARD = "http://127.0.0.1:" + (8080 + OFFSET);
    private static final String RABBIT_API = "http://127.0.0.1:" + (15672 + OFFSET) + "/api";
    /** The broker's password, as an operator sets it (compose has no default; ./fleet compose would make one). */
    private static final String RABBIT_PASSWORD = "compose-test-broker";
    private static final String RABBIT_LOGIN = "Basic " + Base64.getEncoder()
            .encodeToString(("fleet:" + RABBIT_PASSWORD).getBytes(StandardCharsets.UTF_8));

    private static boolean started;
    private static String engine;

    static boolean full() {
        return "full".equals(System.getProperty("fleet.containers"));
    }

    @BeforeAll
    static void up() throws Exception {
        Files.createDirectories(HOME);
        long t0 = System.nanoTime();
        Result r = fleet(Duration.ofMinutes(25), "compose", "up", "--broker-cluster", "--streams", String.join(",", STREAMS),
                "--scale", "frame-processor=2", "--scale", "slam-service=2");
        System.out.printf("./fleet compose up took %d s:%n%s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), r.output);
        if (r.code == 3) {
            String reason = r.output.lines().filter(l -> l.startsWith("containers cannot run here")).findFirst().orElse(r.output);
            System.out.println("SKIPPED ComposeFleetTest: " + reason);
            Assumptions.abort(reason);
        }
        started = true;
        assertThat(r.code).as("./fleet compose up exit code; output:%n%s", r.output).isZero();
        Matcher m = Pattern.compile("runs in containers \\((\\w+);").matcher(r.output);
        assertThat(m.find()).as("the engine named in the output").isTrue();
        engine = m.group(1);
        // the figures of docs/deploy.md: image sizes, memory per container
        System.out.println(run(Duration.ofSeconds(60), engine, "images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}").output);
        System.out.println(fleet(Duration.ofMinutes(2), "compose", "ps").output);
    }

    @AfterAll
    static void down() throws Exception {
        if (!started) {
            return;
        }
        if (engine != null) {
            // what the containers said, for a failure's diagnosis
            for (String id : containers("frame-processor-cpu")) {
                System.out.println(tail(run(Duration.ofSeconds(30), engine, "logs", "--tail", "20", id).output));
            }
        }
        Result r = fleet(Duration.ofMinutes(3), "compose", "down", "--volumes");
        System.out.println("./fleet compose down:\n" + r.output);
        if (r.code != 0 && engine != null) {
            // the failure is reported below; the fleet must not go on loading the machine for the tests after this one
            List<String> left = containers(null);
            if (!left.isEmpty()) {
                List<String> remove = new ArrayList<>(List.of(engine, "rm", "-f"));
                remove.addAll(left);
                run(Duration.ofMinutes(3), remove.toArray(String[]::new));
            }
        }
        assertThat(r.code).as(r.output).isZero();
        assertThat(containers(null)).as("no container of the project is left").isEmpty();
    }

    @Test
    @Order(1)
    void everyContainerIsHealthyAndEachStreamHasOneOwnerPerService() throws Exception {
        Map<String, Integer> expected = Map.of("rabbitmq", 1, "rabbitmq-2", 1, "rabbitmq-3", 1, "ingest-server", 1,
                "frame-processor-cpu", 2, "slam-service", 2, "storage-service", 1, "ptz-service", 1);
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                List<String> ids = containers(e.getKey());
                assertThat(ids).as(e.getKey()).hasSize(e.getValue());
                for (String id : ids) {
                    assertThat(state(id)).as("%s %s", e.getKey(), id).isEqualTo("running 0 healthy");
                }
            }
            List<String> drones = containers("drone-sim");
            assertThat(drones).as("one simulated drone per stream").hasSize(STREAMS.size());
            for (String id : drones) {
                assertThat(state(id)).isEqualTo("running 0");
            }
        });
        // the one-shot import: done (it inherits the broker image's health check, which no longer runs)
        assertThat(containers("rabbitmq-definitions")).singleElement().satisfies(id -> assertThat(state(id)).startsWith("exited 0"));
        assertThat(containers(null)).hasSize(expected.values().stream().mapToInt(Integer::intValue).sum() + 1 + STREAMS.size());
        for (String service : List.of("processor", "slam")) {
            settledReplicas(service);
        }
    }

    @Test
    @Order(2)
    void theBrokerIsAThreeNodeClusterWithTheArchiveOnEveryNode() throws Exception {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> running = new ArrayList<>();
            rabbit("/nodes").forEach(n -> {
                if (n.path("running").asBoolean()) {
                    running.add(n.path("name").asText());
                }
            });
            assertThat(running).containsExactlyInAnyOrder("rabbit@rabbitmq", "rabbit@rabbitmq-2", "rabbit@rabbitmq-3");
            for (String kind : List.of("processed_frames", "slam_results", "ptz_commands", "imu_data")) {
                JsonNode queue = rabbit("/queues/%2F/storage." + kind);
                assertThat(queue.path("type").asText()).as("storage.%s", kind).isEqualTo("quorum");
                List<String> members = new ArrayList<>();
                queue.path("members").forEach(m -> members.add(m.asText()));
                assertThat(members).as("storage.%s's members", kind).hasSize(3);
            }
            List<String> connections = new ArrayList<>();
            rabbit("/connections").forEach(c -> connections.add(c.path("client_properties").path("connection_name").asText()));
            assertThat(connections).as("connections by name").anyMatch(n -> n.startsWith("storage-service/"))
                    .anyMatch(n -> n.startsWith("frame-processor/")).anyMatch(n -> n.startsWith("slam-service/"));
        });
    }

    @Test
    @Order(3)
    void resultsReachTheInspectionQueuesAndRecordingsTheVolume() throws Exception {
        for (String exchange : List.of("processed_frames_exchange", "slam_results_exchange")) {
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String body = inspect("inspect." + exchange);
                for (String stream : STREAMS) {
                    assertThat(body).as("inspect.%s holds results of %s", exchange, stream).contains("\"stream_id\":\"" + stream + "\"");
                }
            });
        }
        List<String> storage = containers("storage-service");
        assertThat(storage).hasSize(1);
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String files = run(Duration.ofSeconds(30), engine, "exec", storage.get(0), "find", "/data/archive", "-name", "*.mp4", "-size", "+1k").output;
            for (String stream : STREAMS) {
                assertThat(files).as("closed MP4 segments of %s in the recordings volume", stream).contains("/" + stream + "/");
            }
        });
    }

    @Test
    @Order(4)
    void theDashboardSendsPerStreamCallsToTheReplicaThatOwnsTheStream() throws Exception {
        JsonNode replicas = settledReplicas("processor");
        Set<String> ownersSeen = new HashSet<>();
        for (String stream : STREAMS) {
            ownersSeen.addAll(owners(replicas, stream));
            // The dashboard learns the owners from rounds of requests to every replica, every 2 s while it is in
            // use. Until a round has an answer of the owner (after an idle minute, or when a loaded replica answered
            // the round late) a per-stream call goes to the service's name, which any replica may answer
            // (ReplicaDirectory.owner). Wait until it routes: then calls in a row all reach the owner, which calls
            // sent to any replica would do only by chance (one in a million for 20 calls and two replicas).
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertTheOwnerAnswers(stream));
            // the owner takes a prompt once it has processed a frame of the stream (409 before)
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                HttpResponse<String> prompt = HTTP.send(HttpRequest.newBuilder(URI.create(DASHBOARD + "/api/processor/streams/" + stream + "/prompts"))
                        .header("Content-Type", "application/json").header("Authorization", FleetToken.BEARER)
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"points\":[{\"x\":320,\"y\":180,\"positive\":true}]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(prompt.statusCode()).as("prompt on %s through the dashboard: %s", stream, prompt.body()).isBetween(200, 299);
            });
        }
        System.out.println("frame-processor owners of " + STREAMS + ": " + ownersSeen);
    }

    /**
     * 20 calls in a row on {@code stream} through the dashboard, each answered by the replica that processes it: a
     * replica that does not answers 404 ("stream ... is not being processed"), so one misrouted call fails this.
     */
    private static void assertTheOwnerAnswers(String stream) throws IOException, InterruptedException {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> fps = get(DASHBOARD + "/api/processor/streams/" + stream + "/fps");
            assertThat(fps.statusCode()).as("GET fps of %s through the dashboard: %s", stream, fps.body()).isEqualTo(200);
            assertThat(JSON.readTree(fps.body()).path("stream_id").asText()).isEqualTo(stream);
        }
    }

    @Test
    @Order(5)
    void killingTheFrameProcessorThatOwnsAStreamMovesItToTheOther() throws Exception {
        Assumptions.assumeTrue(full(), "the failover runs with -Dfleet.containers=full (./fleet test --containers)");
        JsonNode replicas = settledReplicas("processor");
        String victim = owners(replicas, STREAMS.get(0)).get(0);
        String host = victim.substring(0, victim.lastIndexOf('-'));
        String container = containers("frame-processor-cpu").stream().filter(id -> id.startsWith(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no frame-processor container has host name " + host));
        List<String> moved = new ArrayList<>();
        for (String stream : STREAMS) {
            if (owners(replicas, stream).contains(victim)) {
                moved.add(stream);
            }
        }
        long killed = System.nanoTime();
        assertThat(run(Duration.ofSeconds(30), engine, "kill", container).code).isZero();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode now = replicas().path("processor").path("replicas");
            for (String stream : moved) {
                List<String> processing = processing(now, stream);
                assertThat(processing).as("replicas processing %s", stream).hasSize(1).doesNotContain(victim);
            }
        });
        System.out.printf("streams %s of killed replica %s processed by the other after %d ms%n", moved, victim,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    }

    private static String state(String id) throws Exception {
        return run(Duration.ofSeconds(30), engine, "inspect", "--format",
                "{{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", id).output.strip();
    }

    /** The replicas of {@code service} once there are two and each stream has one owner, which alone processes it. */
    private static JsonNode settledReplicas(String service) {
        AtomicReference<JsonNode> settled = new AtomicReference<>();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode replicas = replicas().path(service).path("replicas");
            assertThat(replicas).as("%s replicas", service).hasSize(2);
            for (String stream : STREAMS) {
                List<String> owners = owners(replicas, stream);
                assertThat(owners).as("%s owners of %s", service, stream).hasSize(1);
                assertThat(processing(replicas, stream)).as("%s replicas processing %s", service, stream).isEqualTo(owners);
            }
            settled.set(replicas);
        });
        return settled.get();
    }

    private static JsonNode replicas() throws IOException, InterruptedException {
        HttpResponse<String> r = get(DASHBOARD + "/dashboard/replicas");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> owners(JsonNode replicas, String stream) {
        List<String> owners = new ArrayList<>();
        replicas.forEach(r -> r.path("owned").forEach(s -> {
            if (s.asText().equals(stream)) {
                owners.add(r.path("replica").asText());
            }
        }));
        return owners;
    }

    /** Replicas whose own {@code /streams} shows {@code stream} decoding frames. */
    private static List<String> processing(JsonNode replicas, String stream) {
        List<String> out = new ArrayList<>();
        replicas.forEach(r -> r.path("streams").forEach(s -> {
            if (s.path("stream_id").asText().equals(stream) && s.path("fps_processed").asDouble() > 0) {
                out.add(r.path("replica").asText());
            }
        }));
        return out;
    }

    /** A GET of the RabbitMQ management API, as JSON. */
    private static JsonNode rabbit(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(RABBIT_API + path)).header("Authorization", RABBIT_LOGIN)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String inspect(String queue) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RABBIT_API + "/queues/%2F/" + queue + "/get"))
                .header("Authorization", RABBIT_LOGIN)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"count\":500,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\",\"truncate\":2000}"))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        StringBuilder payloads = new StringBuilder();
        JSON.readTree(r.body()).forEach(m -> payloads.append(m.path("payload").asText().replace(" ", "")).append('\n'));
        return payloads.toString();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", FleetToken.BEARER) // reads are private
                        .timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Ids of the project's containers, of one compose service or (null) all. */
    private static List<String> containers(String service) throws Exception {
        if (engine == null) {
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of(engine, "ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + PROJECT));
        if (service != null) {
            command.addAll(List.of("--filter", "label=com.docker.compose.service=" + service));
        }
        return run(Duration.ofSeconds(30), command.toArray(String[]::new)).output.lines().filter(l -> !l.isBlank()).toList();
    }

    private record Result(int code, String output) {
    }

    private static Result fleet(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Repo.path("fleet").toString()));
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("FLEET_HOME", HOME.toString());
        env.put("FLEET_COMPOSE_PROJECT", PROJECT);
        env.put("FLEET_COMPOSE_PORT_OFFSET", Integer.toString(OFFSET));
        env.put("FLEET_API_TOKEN", FleetToken.TEST);
        env.put("RABBITMQ_PASSWORD", RABBIT_PASSWORD);
        // compose up waits until every container is healthy: on a loaded 2-core machine that may take minutes
        env.put("FLEET_COMPOSE_TIMEOUT", "600");
        // closed segments within seconds; the drones at half rate, for a 2-core machine
        env.put("STORAGE_SEGMENT_LENGTH", "4s");
        env.put("FLEET_DRONE_ARGS", "--fps 15");
        return run(timeout, env, command.toArray(String[]::new));
    }

    private static Result run(Duration timeout, String... command) throws Exception {
        return run(timeout, Map.of(), command);
    }

    private static Result run(Duration timeout, Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile(HOME, "cmd", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + tail(Files.readString(out)));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
