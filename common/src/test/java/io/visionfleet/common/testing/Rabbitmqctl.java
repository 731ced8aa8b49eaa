package io.visionfleet.common.testing;

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

/** The machine's {@code rabbitmqctl}, for what AMQP cannot do: virtual hosts, closing connections, stopping the app. */
public final class Rabbitmqctl {
    private static final Path COMMAND = Path.of("/usr/sbin/rabbitmqctl");
    /** Debian's script itself, not the wrapper above, which switches root to the rabbitmq user and that user's cookie. */
    private static final Path NODE_COMMAND = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Rabbitmqctl() {
    }

    /** Whether it can be run here: installed, and run as root (it reads the Erlang cookie of the broker's user). */
    public static boolean usable() {
        return Files.isExecutable(COMMAND) && "root".equals(System.getProperty("user.name"));
    }

    public static Path path() {
        return COMMAND;
    }

    /** Runs it with {@code arguments} and returns what it printed; throws with its output when it fails. */
    public static String run(String... arguments) {
        return run(List.of(COMMAND.toString()), arguments);
    }

    /**
     * {@link #run} against {@code node}, one that this user started with RabbitMQ's scripts (as
     * {@code deploy/rabbitmq/local-cluster.sh} does), so they share this user's Erlang cookie: no root needed.
     */
    public static String runOn(String node, String... arguments) {
        return run(List.of(NODE_COMMAND.toString(), "-n", node), arguments);
    }

    private static String run(List<String> program, String... arguments) {
        String command = String.join(" ", arguments);
        try {
            List<String> line = new ArrayList<>(program);
            line.addAll(List.of(arguments));
            Process p = new ProcessBuilder(line).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String output = readAll(p.getInputStream());
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("rabbitmqctl " + command + " took over " + TIMEOUT);
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

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
