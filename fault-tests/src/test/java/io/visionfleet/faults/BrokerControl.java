package io.visionfleet.faults;

import com.rabbitmq.client.Connection;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stops and starts the machine's RabbitMQ application with {@code rabbitmqctl} (the Erlang node keeps running, the
 * AMQP listener goes away, as in a broker restart). Needs root and the local broker; a test that cannot have them is
 * skipped with the reason. Callers hold the global test lock and start the broker again in a {@code finally}.
 */
final class BrokerControl {
    private static final Path RABBITMQCTL = Path.of("/usr/sbin/rabbitmqctl");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private BrokerControl() {
    }

    /** Skips the test (JUnit assumption) when the broker cannot be restarted from here. */
    static void assumeControllable() {
        assumeTrue(Files.isExecutable(RABBITMQCTL), RABBITMQCTL + " is missing: broker restart tests skipped");
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: rabbitmqctl needs root, broker restart tests skipped");
        Broker broker = Broker.get();
        assumeTrue("127.0.0.1".equals(broker.host()) && broker.port() == 5672,
                "the tests run on a container broker, not the machine's: broker restart tests skipped");
    }

    static void stopApp() {
        rabbitmqctl("stop_app");
    }

    static void startApp() {
        rabbitmqctl("start_app");
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

    private static void rabbitmqctl(String command) {
        try {
            Process p = new ProcessBuilder(RABBITMQCTL.toString(), command).redirectErrorStream(true).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("rabbitmqctl " + command + " took over " + COMMAND_TIMEOUT);
            }
            String output = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed (" + p.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("running rabbitmqctl " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: rabbitmqctl " + command, e);
        }
    }
}
