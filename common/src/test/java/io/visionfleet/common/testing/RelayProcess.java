package io.visionfleet.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
    private final ServiceProcess service;
    private final int rtspPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private RelayProcess(ServiceProcess service, int rtspPort) {
        this.service = service;
        this.rtspPort = rtspPort;
    }

    /** Starts ingest-server with its HTTP API on {@code httpPort} and the relay on {@code rtspPort}; waits until it is live. */
    public static RelayProcess start(int httpPort, int rtspPort) {
        return start(httpPort, rtspPort, Map.of());
    }

    /**
     * Like {@link #start(int, int)}, with {@code file} (looped in real time) configured as stream {@code streamId}:
     * a pull source from the configuration, so it is relayed again after every {@link #restart()}, as in production.
     */
    public static RelayProcess startRelaying(int httpPort, int rtspPort, String streamId, Path file) {
        return start(httpPort, rtspPort, Map.of("fleet.sources.streams." + streamId + ".url", "file:" + file.toAbsolutePath()));
    }

    private static RelayProcess start(int httpPort, int rtspPort, Map<String, String> sources) {
        Map<String, String> config = new HashMap<>(sources);
        config.put("fleet.relay.port", String.valueOf(rtspPort));
        config.put("quarkus.log.level", "INFO");
        // tests relay files from wherever they wrote them; MediaDirectoryTest checks the limit itself
        config.put("fleet.sources.media-dir", "/");
        ServiceProcess service = ServiceProcess.start("ingest-server",
                ServiceProcess.siblingJar("ingest-server", "fleet.test.ingest-jar"), httpPort, "384m", config);
        return new RelayProcess(service, rtspPort);
    }

    /** {@code rtsp://localhost:<port>/}, the base URL consumers append stream ids to. */
    public String rtspBase() {
        return "rtsp://localhost:" + rtspPort + "/";
    }

    public String rtspUrl(String streamId) {
        return rtspBase() + streamId;
    }

    public int httpPort() {
        return service.httpPort();
    }

    public int rtspPort() {
        return rtspPort;
    }

    /** Adds a pull source relaying {@code file} (looped in real time) as stream {@code streamId}. */
    public void addFileSource(String streamId, Path file) {
        String body = "{\"id\":\"" + streamId + "\",\"url\":\"file:" + file.toAbsolutePath() + "\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(api("/streams"))
                .header("Content-Type", "application/json").header("Authorization", FleetToken.BEARER)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("adding source " + streamId + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Removes a stream; the relay ends its readers' sessions. */
    public void removeSource(String streamId) {
        send(HttpRequest.newBuilder(api("/streams/" + streamId)).header("Authorization", FleetToken.BEARER).DELETE().build());
    }

    /** {@code GET /streams/{id}} as JSON text, or null when the relay does not know the stream. */
    public String streamStatus(String streamId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api("/streams/" + streamId)).GET().build());
        return response.statusCode() == 200 ? response.body() : null;
    }

    /** Kills the process as a crash would (no shutdown hooks), and waits for it to be gone. */
    public void kill() {
        service.kill();
    }

    /**
     * Starts the process again on the same ports, killing it first if it still runs; returns once it is live. Its
     * configured sources come back by themselves, those added through the API are gone: add them again.
     */
    public void restart() {
        service.restart();
    }

    /** The ingest-server process itself, e.g. to {@link ServiceProcess#terminate()} it. */
    public ServiceProcess process() {
        return service;
    }

    @Override
    public void close() {
        service.close();
    }

    private URI api(String path) {
        return URI.create(service.baseUri() + path);
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
