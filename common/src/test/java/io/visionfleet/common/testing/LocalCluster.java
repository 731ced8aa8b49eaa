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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The three-node RabbitMQ cluster of {@code deploy/rabbitmq/local-cluster.sh} on this machine (AMQP on 5681-5683,
 * management on 15681-15683, nodes {@code rabbit-<i>@localhost}), for tests of the fleet on a cluster: which node
 * holds a connection or leads a queue, killing a node as a crash would, and cutting one off from its peers (a network
 * partition: iptables drops its distribution traffic, which the script sends from 127.0.1.i, so clients still reach it).
 */
public final class LocalCluster implements AutoCloseable {
    public static final int NODES = 3;
    private static final Path SCRIPT = Path.of("../deploy/rabbitmq/local-cluster.sh");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String LOGIN = "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));

    /** The iptables chain that holds a partition's rules, jumped to from OUTPUT while a node is cut off. */
    private static final String PARTITION_CHAIN = "FLEET_PARTITION";

    private final Path dir;
    private final Duration netTicktime;

    private LocalCluster(Path dir, Duration netTicktime) {
        this.dir = dir;
        this.netTicktime = netTicktime;
    }

    /** Whether the cluster can run here: RabbitMQ's own start scripts are installed (Debian's package). */
    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server"));
    }

    /** Starts (or completes) the cluster with its data in {@code dir}; returns once every node runs, clustered. */
    public static LocalCluster start(Path dir) {
        return start(dir, Duration.ofSeconds(60));
    }

    /**
     * {@link #start(Path)} with the nodes' {@code net_ticktime} (RabbitMQ's default is 60 s): a peer silent for about
     * that long counts as gone, which is how soon a partition is noticed.
     */
    public static LocalCluster start(Path dir, Duration netTicktime) {
        LocalCluster cluster = new LocalCluster(dir.toAbsolutePath(), netTicktime);
        cluster.startStopped();
        return cluster;
    }

    /** Whether this process may cut a node off: iptables runs and may change the rules (root). */
    public static boolean canPartition() {
        try {
            return iptables("-L", "OUTPUT", "-n") == 0;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Cuts {@code node} off from its peers, both ways, while its clients still reach it: every packet of its
     * distribution connections is dropped, those it opened (from 127.0.1.i) and those opened to it (its distribution
     * port). With pause_minority it pauses once its peers' silence exceeds {@code net_ticktime}.
     */
    public void partition(String node) {
        int i = index(node);
        iptables("-N", PARTITION_CHAIN); // fails harmlessly when it exists
        if (iptables("-C", "OUTPUT", "-j", PARTITION_CHAIN) != 0) {
            require(iptables("-I", "OUTPUT", "-j", PARTITION_CHAIN), "jump to " + PARTITION_CHAIN);
        }
        String distPort = Integer.toString(25680 + i);
        for (List<String> match : List.of(List.of("-s", "127.0.1." + i), List.of("-d", "127.0.1." + i),
                List.of("--sport", distPort), List.of("--dport", distPort))) {
            List<String> rule = new ArrayList<>(List.of("-A", PARTITION_CHAIN, "-p", "tcp"));
            rule.addAll(match);
            rule.addAll(List.of("-j", "DROP"));
            require(iptables(rule.toArray(String[]::new)), String.join(" ", rule));
        }
    }

    /** Ends every partition: the rules and the chain go. */
    public static void heal() {
        if (iptables("-C", "OUTPUT", "-j", PARTITION_CHAIN) == 0) {
            iptables("-D", "OUTPUT", "-j", PARTITION_CHAIN);
        }
        iptables("-F", PARTITION_CHAIN);
        iptables("-X", PARTITION_CHAIN);
    }

    /** Whether {@code node} accepts AMQP connections: a paused node (pause_minority) does not. */
    public static boolean accepting(String node) {
        return listening(amqpPort(index(node)));
    }

    /** Starts the nodes that are not running and joins them to the cluster, as {@code ./fleet broker --cluster 3}. */
    public void startStopped() {
        script(dir, 1, NODES, netTicktime);
    }

    /**
     * Starts node {@code rabbit-<index>@localhost} alone (AMQP on 5680+index), apart from the cluster's nodes 1-3, on
     * fresh data in {@code dir} (a node of an earlier run there is stopped first); returns its AMQP port.
     */
    public static int startSingleNode(int index, Path dir) {
        stopSingleNode(index, dir);
        try (var files = Files.walk(dir.toAbsolutePath())) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (NoSuchFileException e) {
            // nothing to clear
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        script(dir.toAbsolutePath(), index, 1, Duration.ofSeconds(60));
        return amqpPort(index);
    }

    /** Stops the node that {@link #startSingleNode} started, if it runs. */
    public static void stopSingleNode(int index, Path dir) {
        if (Files.isDirectory(dir)) {
            script(dir.toAbsolutePath(), index, 1, Duration.ofSeconds(60), "--stop");
        }
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
        if (canPartition()) {
            heal();
        }
        script(dir, 1, NODES, netTicktime, "--stop");
    }

    private static int amqpPort(int i) {
        return 5680 + i;
    }

    /** Runs the script for nodes {@code first} to {@code first + nodes - 1}. */
    private static void script(Path dir, int first, int nodes, Duration netTicktime, String... options) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), Integer.toString(nodes), dir.toString()));
        command.addAll(List.of(options));
        try {
            Path log = Files.createTempFile("local-cluster", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("RABBITMQ_NET_TICKTIME", Long.toString(netTicktime.toSeconds()));
                builder.environment().put("FLEET_CLUSTER_FIRST_NODE", Integer.toString(first));
                Process p = builder.start();
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

    /** Runs iptables (waiting for its lock); its exit status. */
    private static int iptables(String... arguments) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(arguments));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 30 s");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run iptables", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void require(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("iptables " + what + " failed with status " + status);
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
