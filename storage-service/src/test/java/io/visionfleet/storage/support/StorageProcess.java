package io.visionfleet.storage.support;

import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * storage-service itself, run from its packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as a child
 * process, so a test can kill it as a crash would and start it again on the same archive. Integration tests
 * ({@code *IT}, run by failsafe after {@code package}) use it.
 */
public final class StorageProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final int httpPort;
    private final Map<String, String> config;
    private final Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private StorageProcess(int httpPort, Map<String, String> config) {
        this.httpPort = httpPort;
        this.config = Map.copyOf(config);
        this.log = Path.of("target", "storage-" + httpPort + ".log");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -pl storage-service package");
        }
    }

    /** Starts the service with {@code config} as system properties on {@code httpPort}; returns once it is live. */
    public static StorageProcess start(int httpPort, Map<String, String> config) {
        StorageProcess storage = new StorageProcess(httpPort, config);
        storage.launch();
        return storage;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Kills the process as a crash would (SIGKILL: no shutdown hooks, nothing flushed) and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** Stops it as an orchestrator would (SIGTERM, graceful shutdown); true when it exited within 20 s. */
    public boolean stop() {
        process.destroy();
        try {
            return process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts it again on the same port, configuration and archive. */
    public void restart() {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive() && !stop()) {
            kill();
        }
    }

    private void launch() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1"));
        Broker.get().quarkusConfig().forEach((key, value) -> command.add("-D" + key + "=" + value));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting storage-service", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("storage-service exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            if (live()) {
                return;
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS); // returns early only if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting storage-service", e);
            }
        }
        kill();
        throw new IllegalStateException("storage-service not live within " + START_TIMEOUT + "; see " + log.toAbsolutePath());
    }

    private boolean live() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/live"))
                    .timeout(Duration.ofSeconds(2)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void waitForExit() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
