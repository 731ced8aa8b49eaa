package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A packaged fleet service run as a child process against the test broker, the way a replica runs in production:
 * its own JVM, configured by system properties, killed like a crashing container.
 */
final class ServiceProcess implements AutoCloseable {
    /** How long a request may take: a busy JVM on a loaded machine answers late, and a late answer is still one. */
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ANSWER).build();

    final String name;
    final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code module}'s quarkus-run.jar on HTTP {@code port} with {@code config} as system properties. */
    static ServiceProcess start(String module, String name, int port, Map<String, String> config) {
        List<String> command = io.visionfleet.common.testing.ServiceProcess.command(Repo.runJar(module), port, "256m", config);
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServiceProcess(name, port, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code once the process ended on its own within {@code within}; null if it still runs. */
    Integer exitCode(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** What the process printed so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    /** {@code GET path} as JSON, empty when the process does not answer or answers with an error status. */
    Optional<JsonNode> get(String path) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(ANSWER).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(Json.MAPPER.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Kills the process as a crash would: no shutdown hooks, its sockets closed by the kernel. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ", log " + log + ")";
    }
}
