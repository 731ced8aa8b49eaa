package io.visionfleet.faults;

import com.rabbitmq.client.Connection;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stops and starts the machine's RabbitMQ application with {@code rabbitmqctl} (the Erlang node keeps running, the
 * AMQP listener goes away, as in a broker restart). Needs root and the local broker; a test that cannot have them is
 * skipped with the reason. Callers hold the global test lock and start the broker again in a {@code finally}.
 */
public final class BrokerControl {
    private static final Path RABBITMQCTL = Path.of("/usr/sbin/rabbitmqctl");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private BrokerControl() {
    }

    /** Skips the test (JUnit assumption) when the broker cannot be restarted from here. */
    public static void assumeControllable() {
        assumeTrue(Files.isExecutable(RABBITMQCTL), RABBITMQCTL + " is missing: broker restart tests skipped");
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: rabbitmqctl needs root, broker restart tests skipped");
        Broker broker = Broker.get();
        assumeTrue("127.0.0.1".equals(broker.host()) && broker.port() == 5672,
                "the tests run on a container broker, not the machine's: broker restart tests skipped");
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void stopApp() {
        rabbitmqctl("stop_app");
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
        rabbitmqctl("start_app");
    }

    /** Messages in {@code queue}, ready and unacknowledged together ({@code rabbitmqctl list_queues}); -1 if absent. */
    static long messages(String queue) {
        for (String line : rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "messages").split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(queue)) {
                return Long.parseLong(fields[1]);
            }
        }
        return -1;
    }

    /** A client connection as {@code rabbitmqctl list_connections} shows it. */
    record ClientConnection(String pid, int peerPort, String clientProperties) {
    }

    /** The broker's client connections now. */
    static List<ClientConnection> connections() {
        List<ClientConnection> connections = new ArrayList<>();
        String listing = rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid", "peer_port", "client_properties");
        for (String line : listing.split("\n")) {
            String[] fields = line.trim().split("\\s+", 3);
            if (fields.length == 3 && fields[1].matches("\\d+")) {
                connections.add(new ClientConnection(fields[0], Integer.parseInt(fields[1]), fields[2]));
            }
        }
        return connections;
    }

    /**
     * Has the broker close the client connections that {@code which} picks ({@code rabbitmqctl close_connection},
     * as an operator or a broker-side fault would: the client sees {@code CONNECTION_FORCED}); returns how many.
     */
    static int closeConnections(Predicate<ClientConnection> which, String reason) {
        int closed = 0;
        for (ClientConnection c : connections()) {
            if (which.test(c)) {
                rabbitmqctl("close_connection", c.pid(), reason);
                closed++;
            }
        }
        return closed;
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

    private static String rabbitmqctl(String... arguments) {
        String command = String.join(" ", arguments);
        try {
            List<String> line = new ArrayList<>(List.of(RABBITMQCTL.toString()));
            line.addAll(List.of(arguments));
            Process p = new ProcessBuilder(line).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String output = readAll(p.getInputStream());
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("rabbitmqctl " + command + " took over " + COMMAND_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed (" + p.exitValue() + "): " + output
                        + errors.join());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("running rabbitmqctl " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: rabbitmqctl " + command, e);
        }
    }
}
