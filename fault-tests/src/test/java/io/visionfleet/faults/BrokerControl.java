package io.visionfleet.faults;

import com.rabbitmq.client.Connection;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.Rabbitmqctl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stops and starts the RabbitMQ application of the tests' own node ({@link OwnBrokerNode}) with {@code rabbitmqctl}
 * (the Erlang node keeps running, the AMQP listener goes away, as in a broker restart). A test that cannot have that
 * node is skipped with the reason. Callers start the broker again in a {@code finally}.
 */
public final class BrokerControl {

    private BrokerControl() {
    }

    /** Skips the test (JUnit assumption) when the broker cannot be restarted from here. */
    public static void assumeControllable() {
        assumeTrue(OwnBrokerNode.running(), "RabbitMQ's scripts are not installed, so these tests have no node of their"
                + " own to restart: broker restart tests skipped");
    }


    /**
     * Raises (or clears) a memory alarm on the node: while it holds, the broker reads nothing more from publishing
     * connections, so publishes wait and their confirms do not come, while the connections stay open.
     */
    public static void memoryAlarm(boolean raised) {
        ctl("set_vm_memory_high_watermark", raised ? "0.000001" : "0.4"); // 0.4 is the broker's default
    }

    public static void stopApp() {
        ctl("stop_app");
    }

    /** Keeps the broker down until {@code downtime} has passed since {@code stoppedAtMs}: the outage itself, not a wait. */
    public static void stayDown(long stoppedAtMs, Duration downtime) {
        try {
            Thread.sleep(Math.max(0, downtime.toMillis() - (System.currentTimeMillis() - stoppedAtMs)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void startApp() {
        ctl("start_app");
    }

    /** Messages in {@code queue}, ready and unacknowledged together ({@code rabbitmqctl list_queues}); -1 if absent. */
    static long messages(String queue) {
        return listQueue(queue, "messages").map(Long::parseLong).orElse(-1L);
    }

    /** Queue {@code queue}'s ready and unacknowledged messages and its consumers, as {@code rabbitmqctl} lists them. */
    static String queueState(String queue) {
        return listQueue(queue, "messages_ready", "messages_unacknowledged", "consumers").orElse("absent");
    }

    /** The {@code columns} of {@code queue}'s line in {@code rabbitmqctl list_queues}, separated by whitespace. */
    private static Optional<String> listQueue(String queue, String... columns) {
        List<String> arguments = new ArrayList<>(List.of("list_queues", "-q", "--no-table-headers", "name"));
        arguments.addAll(List.of(columns));
        for (String line : ctl(arguments.toArray(String[]::new)).split("\n")) {
            String[] fields = line.trim().split("\\s+", 2);
            if (fields.length == 2 && fields[0].equals(queue)) {
                return Optional.of(fields[1]);
            }
        }
        return Optional.empty();
    }

    /** A client connection as {@code rabbitmqctl list_connections} shows it. */
    record ClientConnection(String pid, int peerPort, String clientProperties) {
    }

    /** The broker's client connections now. */
    static List<ClientConnection> connections() {
        List<ClientConnection> connections = new ArrayList<>();
        String listing = ctl("list_connections", "-q", "--no-table-headers", "pid", "peer_port", "client_properties");
        for (String line : listing.split("\n")) {
            String[] fields = line.trim().split("\\s+", 3);
            if (fields.length == 3 && fields[1].matches("\\d+")) {
                connections.add(new ClientConnection(fields[0], Integer.parseInt(fields[1]), fields[2]));
            }
        }
        return connections;
    }

    /** The client ports of the broker's connections now: a client that reconnected has a new one. */
    public static List<Integer> connectionPorts() {
        return connections().stream().map(ClientConnection::peerPort).sorted().toList();
    }

    /**
     * Has the broker close the client connections that {@code which} picks ({@code rabbitmqctl close_connection},
     * as an operator or a broker-side fault would: the client sees {@code CONNECTION_FORCED}); returns how many.
     */
    static int closeConnections(Predicate<ClientConnection> which, String reason) {
        int closed = 0;
        for (ClientConnection c : connections()) {
            if (which.test(c)) {
                ctl("close_connection", c.pid(), reason);
                closed++;
            }
        }
        return closed;
    }

    private static String ctl(String... arguments) {
        return Rabbitmqctl.runOn(OwnBrokerNode.NODE, arguments);
    }

    /** Waits until the broker accepts AMQP connections again; returns how long that took. */
    static Duration awaitUp(Duration deadline) {
        long start = System.nanoTime();
        await().atMost(deadline).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Connection c = Broker.get().connect()) {
                return c.isOpen();
            }
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
