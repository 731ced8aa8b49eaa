package io.visionfleet.ptz.loop;

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
import java.util.concurrent.TimeUnit;

/**
 * The real frame-processor, run from its packaged jar as a child process (as RelayProcess runs ingest-server) with the
 * {@code motion} engine, pulling given streams from a relay and publishing results to the test broker.
 * Needs {@code frame-processor/target/quarkus-app/quarkus-run.jar} (ptz-service's pom orders that build first).
 */
final class FrameProcessorProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final Process process;

    private FrameProcessorProcess(Process process) {
        this.process = process;
    }

    static FrameProcessorProcess start(int httpPort, String relayBase, String streams) {
        Path jar = Path.of(System.getProperty("fleet.test.processor-jar", "../frame-processor/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -pl frame-processor package -DskipTests");
        }
        Path log = Path.of("target", "frame-processor-" + httpPort + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1", "-Dfleet.consumer.relay-url=" + relayBase,
                "-Dfleet.consumer.streams=" + streams, "-Dfleet.consumer.follow-stream-events=false",
                "-Dfleet.processor.engine=motion"));
        Broker.get().quarkusConfig().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting frame-processor", e);
        }
        FrameProcessorProcess fp = new FrameProcessorProcess(p);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("frame-processor exited with " + p.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/live"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return fp;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                p.waitFor(200, TimeUnit.MILLISECONDS); // returns early only if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fp.close();
        throw new IllegalStateException("frame-processor not live within " + START_TIMEOUT + "; see " + log.toAbsolutePath());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
