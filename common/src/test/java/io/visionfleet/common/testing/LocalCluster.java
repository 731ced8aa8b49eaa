package io.visionfleet.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The three-node RabbitMQ cluster of {@code deploy/rabbitmq/local-cluster.sh} on this machine (AMQP on 5681-5683,
 * management on 15681-15683, nodes {@code rabbit-<i>@localhost}), for tests of the fleet on a cluster: which node
 * holds a connection or leads a queue, and killing a node as a crash would.
 */
public final class LocalCluster implements AutoCloseable {
    public static final int NODES = 3;
    private static final Path SCRIPT = Path.of("../deploy/rabbitmq/local-cluster.sh");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String LOGIN = "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));

    private final Path dir;

    private LocalCluster(Path dir) {
        this.dir = dir;
    }

    /** Whether the cluster can run here: RabbitMQ's own start scripts are installed (Debian's package). */
    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server"));
    }

    /** Starts (or completes) the cluster with its data in {@code dir}; returns once every node runs, clustered. */
    public static LocalCluster start(Path dir) {
        LocalCluster cluster = new LocalCluster(dir.toAbsolutePath());
        cluster.startStopped();
        return cluster;
    }

    /** Starts the nodes that are not running and joins them to the cluster, as {@code ./fleet broker --cluster 3}. */
    public void startStopped() {
        script();
    }

    /** {@code fleet.rabbitmq.addresses} for the three nodes. */
    public static String addresses() {
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            addresses.add("127.0.0.1:" + amqpPort(i));
        }
        return String.join(",", addresses);
    }

    /** The broker settings of node {@code i} (guest, the default virtual host), for the test's own connections. */
    public static Broker node(int i) {
        return Broker.at("127.0.0.1", amqpPort(i));
    }

    /** The nodes that the management API of a live node lists as running. */
    public static List<String> runningNodes() {
        List<String> running = new ArrayList<>();
        for (JsonNode node : api("/api/nodes")) {
            if (node.path("running").asBoolean()) {
                running.add(node.path("name").asText());
            }
        }
        return running;
    }

    /** The node that holds the client connection whose name {@code name} accepts; empty while there is none. */
    public static Optional<String> nodeOfConnection(Predicate<String> name) {
        for (JsonNode connection : api("/api/connections")) {
            if (name.test(connection.path("client_properties").path("connection_name").asText())) {
                return Optional.of(connection.path("node").asText());
            }
        }
        return Optional.empty();
    }

    /** The node that leads quorum queue {@code queue} of the default virtual host. */
    public static String leaderOf(String queue) {
        return api("/api/queues/%2F/" + URLEncoder.encode(queue, StandardCharsets.UTF_8)).path("leader").asText();
    }

    /** Kills node {@code node} ({@code rabbit-<i>@localhost}) with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill(String node) {
        end(node, true);
    }

    /** Stops node {@code node} as an operator would (SIGTERM: it closes its connections first) and waits until it is gone. */
    public void stop(String node) {
        end(node, false);
    }

    private void end(String node, boolean kill) {
        int i = index(node);
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("rabbit-" + i + "/pid")).trim());
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(node + " is not running"));
            if (kill) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            process.onExit().get(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException((kill ? "killing " : "stopping ") + node, e);
        }
    }

    /** The node's number: 2 for {@code rabbit-2@localhost}. */
    public static int index(String node) {
        return Integer.parseInt(node.substring("rabbit-".length(), node.indexOf('@')));
    }

    @Override
    public void close() {
        script("--stop");
    }

    private static int amqpPort(int i) {
        return 5680 + i;
    }

    private void script(String... options) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), Integer.toString(NODES), dir.toString()));
        command.addAll(List.of(options));
        try {
            Path log = Files.createTempFile("local-cluster", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish within " + SCRIPT_TIMEOUT);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(command + " failed: " + Files.readString(log));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET path} on the management API of the first node that listens. */
    private static JsonNode api(String path) {
        for (int i = 1; i <= NODES; i++) {
            if (!listening(15680 + i)) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (15680 + i) + path))
                    .header("Authorization", LOGIN).timeout(Duration.ofSeconds(10)).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " on node " + i + ": " + response.statusCode() + " " + response.body());
                }
                return Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no node of the local cluster answers on 15681-15683");
    }

    /** Whether something accepts connections on {@code port} of the loopback address. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
