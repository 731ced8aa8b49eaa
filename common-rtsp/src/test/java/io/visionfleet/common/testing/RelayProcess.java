package io.visionfleet.common.testing;

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
import java.util.concurrent.TimeUnit;

/**
 * The real ingest-server, run as a child process from its packaged jar, for the tests of the consuming
 * services: they pull its RTSP relay exactly as in production, and a test can kill and restart it. Streams are
 * fed through its own pull sources (a looping file), so the relay paces them in real time.
 *
 * <p>Needs {@code ingest-server/target/quarkus-app/quarkus-run.jar}: the reactor build packages ingest-server
 * before the services that test against it; a single-module run needs
 * {@code ./mvnw -pl ingest-server package -DskipTests} first. {@code -Dfleet.test.ingest-jar} overrides the path.
 */
public final class RelayProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final int httpPort;
    private final int rtspPort;
    private final Path jar;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private RelayProcess(int httpPort, int rtspPort) {
        this.httpPort = httpPort;
        this.rtspPort = rtspPort;
        this.jar = Path.of(System.getProperty("fleet.test.ingest-jar", "../ingest-server/target/quarkus-app/quarkus-run.jar"));
        this.log = Path.of("target", "relay-" + rtspPort + ".log");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -pl ingest-server package -DskipTests");
        }
    }

    /** Starts ingest-server with its HTTP API on {@code httpPort} and the relay on {@code rtspPort}; waits until it is live. */
    public static RelayProcess start(int httpPort, int rtspPort) {
        RelayProcess relay = new RelayProcess(httpPort, rtspPort);
        relay.launch();
        return relay;
    }

    /** {@code rtsp://localhost:<port>/}, the base URL consumers append stream ids to. */
    public String rtspBase() {
        return "rtsp://localhost:" + rtspPort + "/";
    }

    public String rtspUrl(String streamId) {
        return rtspBase() + streamId;
    }

    public int httpPort() {
        return httpPort;
    }

    public int rtspPort() {
        return rtspPort;
    }

    /** Adds a pull source relaying {@code file} (looped in real time) as stream {@code streamId}. */
    public void addFileSource(String streamId, Path file) {
        String body = "{\"id\":\"" + streamId + "\",\"url\":\"file:" + file.toAbsolutePath() + "\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(api("/streams"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("adding source " + streamId + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Removes a stream; the relay ends its readers' sessions. */
    public void removeSource(String streamId) {
        send(HttpRequest.newBuilder(api("/streams/" + streamId)).DELETE().build());
    }

    /** {@code GET /streams/{id}} as JSON text, or null when the relay does not know the stream. */
    public String streamStatus(String streamId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api("/streams/" + streamId)).GET().build());
        return response.statusCode() == 200 ? response.body() : null;
    }

    /** Kills the process as a crash would (no shutdown hooks), and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the process again on the same ports (its pull sources from the API are gone: add them again). */
    public void restart() {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private void launch() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m",
                "-Dquarkus.http.port=" + httpPort, "-Dfleet.relay.port=" + rtspPort,
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.log.level=INFO"));
        Broker broker = Broker.get();
        broker.quarkusConfig().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting ingest-server", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ingest-server exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            if (isLive()) {
                return;
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS); // returns early only if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting ingest-server", e);
            }
        }
        kill();
        throw new IllegalStateException("ingest-server not live within " + START_TIMEOUT + "; see " + log.toAbsolutePath());
    }

    private boolean isLive() {
        try {
            return http.send(HttpRequest.newBuilder(api("/q/health/live")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
