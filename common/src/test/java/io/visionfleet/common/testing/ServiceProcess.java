package io.visionfleet.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fleet service run from its packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as a child process, on
 * the test broker, with its log in {@code target/<name>-<port>.log}, and with the tests' fleet token
 * ({@link FleetToken}) unless {@code config} sets {@code fleet.api.token} or {@code fleet.api.insecure}. A test can kill it as a crash would, stop it
 * as an orchestrator would and time that, and start it again with the same configuration.
 */
public final class ServiceProcess implements AutoCloseable {
    /**
     * A service under test lives seconds to a minute and is judged on behaviour, not speed: the C1 compiler alone and
     * the serial collector halve the CPU its start costs, which the whole suite, bound by two cores, waits for
     * (docs/testing.md). {@code -Dfleet.test.service-jvm-flags=} runs them with the JVM's defaults instead.
     */
    public static final List<String> JVM_FLAGS = List.of(System.getProperty("fleet.test.service-jvm-flags",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC").split(" ")).stream().filter(f -> !f.isBlank()).toList();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Longer than any stop may take, so {@link #terminate} measures a slow stop instead of cutting it short. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final int httpPort;
    private final List<String> command = new ArrayList<>();
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    /** Where this run's output starts in the log, which every run appends to. */
    private long logStart;

    private ServiceProcess(String name, Path jar, int httpPort, String maxHeap, Map<String, String> config) {
        this.name = name;
        this.httpPort = httpPort;
        this.log = Path.of("target", name + "-" + httpPort + ".log");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -pl " + name + " package -DskipTests");
        }
        command.addAll(command(jar, httpPort, maxHeap, config));
    }

    /**
     * The command line that runs {@code jar} on the test broker with HTTP on {@code httpPort}, {@code config} as system
     * properties and the tests' token (unless {@code config} sets one or {@code fleet.api.insecure}).
     */
    public static List<String> command(Path jar, int httpPort, String maxHeap, Map<String, String> config) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-Dquarkus.http.port=" + httpPort, "-Dquarkus.http.host=127.0.0.1"));
        Broker.get().quarkusConfig().forEach((key, value) -> command.add("-D" + key + "=" + value));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (!config.containsKey("fleet.api.token") && !config.containsKey("fleet.api.insecure")) {
            command.add("-Dfleet.api.token=" + FleetToken.TEST); // a test token, not a secret: fine on the command line
        }
        if (!config.containsKey("fleet.api.protect-reads")) {
            command.add("-Dfleet.api.protect-reads=false"); // tests of other matters read without a credential
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /**
     * Starts module {@code name} from {@code jar} with {@code config} as system properties, its HTTP API on
     * {@code httpPort}; returns once it is live.
     */
    public static ServiceProcess start(String name, Path jar, int httpPort, String maxHeap, Map<String, String> config) {
        ServiceProcess service = new ServiceProcess(name, jar, httpPort, maxHeap, config);
        service.launch();
        return service;
    }

    /** The packaged jar of sibling module {@code module}, or the path in system property {@code override}. */
    public static Path siblingJar(String module, String override) {
        return Path.of(System.getProperty(override, "../" + module + "/target/quarkus-app/quarkus-run.jar"));
    }

    public String baseUri() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Kills the process as a crash would (SIGKILL: no shutdown hooks, nothing flushed) and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
    }

    /** Stops it as an orchestrator would (SIGTERM, graceful shutdown); true when it exited within 20 s. */
    public boolean stop() {
        process.destroy();
        return awaitExit(STOP_TIMEOUT);
    }

    /**
     * Sends SIGTERM, as an orchestrator stops a container, and returns how long the process took to exit.
     *
     * @throws IllegalStateException when it is still running after 20 s (it is then killed)
     */
    public Duration terminate() {
        long sent = System.nanoTime();
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            kill();
            throw new IllegalStateException(name + " still running " + STOP_TIMEOUT + " after SIGTERM; see " + log.toAbsolutePath());
        }
        return Duration.ofNanos(System.nanoTime() - sent);
    }

    /** The exit status of the last run; 143 (128 + SIGTERM) after a JVM stopped by {@link #terminate}. */
    public int exitValue() {
        return process.exitValue();
    }

    /** What the current (or last) run wrote to its log. */
    public String runLog() {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Has the running JVM print its threads into its log ({@code jcmd <pid> Thread.print}): for a test that waited in
     * vain, to see what the service was doing.
     */
    public void dumpThreads() {
        Path java = Path.of(command.get(0));
        Path jcmd = java.resolveSibling("jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts it again with the same port and configuration. */
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
        try {
            Files.createDirectories(log.getParent());
            logStart = Files.exists(log) ? Files.size(log) : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            if (live()) {
                return;
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS); // returns early only if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
        kill();
        throw new IllegalStateException(name + " not live within " + START_TIMEOUT + "; see " + log.toAbsolutePath());
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
}
