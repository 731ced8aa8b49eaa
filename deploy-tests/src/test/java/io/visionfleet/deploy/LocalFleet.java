package io.visionfleet.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A fleet started by the README's {@code ./fleet} script on its own ports (HTTP 8080-8084 plus {@code offset}, the
 * relay on {@code relayPort}) and state directory, so a fleet the developer runs is left alone.
 */
final class LocalFleet {
    /**
     * In a fleet's environment: every Quarkus application of it logs each request it serves, its path and query as
     * asked for ({@code "GET /streams HTTP/1.1"}), to its log in {@code FLEET_HOME/logs}.
     */
    static final Map.Entry<String, String> ACCESS_LOG = Map.entry("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true");
    private static final Pattern REQUEST_LINE = Pattern.compile("\"[A-Z]+ (\\S+) HTTP/[0-9.]+\"");
    /** A credential's name as a URL parameter (an API token, a link's key, a video password). */
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile("[?&#;](token|key|access_token|pass|password)=",
            Pattern.CASE_INSENSITIVE);
    final String stream;
    final int offset;
    final int relayPort;
    final Path home;
    private final Map<String, String> extraEnvironment;

    LocalFleet(String stream, int offset, int relayPort, Path home, Map<String, String> extraEnvironment) {
        this.stream = stream;
        this.offset = offset;
        this.relayPort = relayPort;
        this.home = home.toAbsolutePath();
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /** The exit code and output of one {@code ./fleet} run. */
    record Result(int exit, String output) {
    }

    /** The drone's stream on the relay, as a reader (user {@code reader}, the password {@code up} made) sees it. */
    String relayUrl() throws IOException {
        String password = Files.readString(home.resolve("video-read-password")).trim();
        return "rtsp://reader:" + password + "@127.0.0.1:" + relayPort + "/" + stream;
    }

    /** The stream of the fleet's simulated PTZ camera, named after the drone's so that fleets never share it. */
    String ptzStream() {
        return stream + "-ptz";
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(Map.of("FLEET_HOME", home.toString(), "FLEET_STREAM", stream,
                "FLEET_PTZ_STREAM", ptzStream(), "FLEET_PORT_OFFSET", Integer.toString(offset),
                "FLEET_RELAY_PORT", Integer.toString(relayPort)));
        env.putAll(extraEnvironment);
        // the tests' JVM flags (ServiceProcess.JVM_FLAGS) after the heap the test gives, or the fleet's default
        env.put("JAVA_OPTS", env.getOrDefault("JAVA_OPTS", "-Xmx512m") + " "
                + String.join(" ", io.visionfleet.common.testing.ServiceProcess.JVM_FLAGS));
        return env;
    }

    /** Runs {@code ./fleet <args>}; its exit code and output. */
    Result fleet(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./fleet"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment());
        Path out = Files.createTempFile("fleet", ".out");
        Process p = builder.redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("./fleet %s did not finish within %s:%n%s", String.join(" ", args), timeout, Files.readString(out));
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }

    /** The viewer's token, as {@code ./fleet token --viewer} prints it for this fleet. */
    String viewerToken() throws IOException, InterruptedException {
        Result printed = fleet(Duration.ofSeconds(60), "token", "--viewer");
        assertThat(printed.exit()).as(printed.output()).isZero();
        String[] lines = printed.output().strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /**
     * The targets (path and query) of the HTTP requests in the access logs of every application of the fleet
     * ({@link #ACCESS_LOG} in its environment), per log file. A WebSocket that was opened is not among them: Quarkus
     * logs a request when its response ends, and an upgraded one never does (a refused upgrade is logged).
     */
    Map<String, List<String>> requestTargets() throws IOException {
        Map<String, List<String>> targets = new HashMap<>();
        try (var logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                List<String> inLog = new ArrayList<>();
                for (String line : Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    Matcher m = REQUEST_LINE.matcher(line);
                    if (m.find()) {
                        inLog.add(m.group(1));
                    }
                }
                targets.put(log.getFileName().toString(), inLog);
            }
        }
        return targets;
    }

    /**
     * Requires that no HTTP request that reached the fleet carried a credential in its URL (no parameter named like
     * one, none of {@code secrets}), by the access logs: among them every request of the dashboard but its sockets
     * (its page, calls, logins, pictures and recordings, and the proxied reads as ingest-server and as the service
     * saw them). Returns the targets ingest-server logged, for further checks.
     */
    List<String> requireNoCredentialInRequestUrls(String... secrets) throws IOException {
        Map<String, List<String>> targets = requestTargets();
        List<String> ingest = targets.getOrDefault("ingest-server.log", List.of());
        assertThat(ingest).as("ingest-server's access log of the page's requests").isNotEmpty();
        targets.forEach((log, inLog) -> requireNoCredentialIn(log, inLog, secrets));
        return ingest;
    }

    /** Requires that none of {@code urls} has a parameter named like a credential or holds one of {@code secrets}. */
    static void requireNoCredentialIn(String where, List<String> urls, String... secrets) {
        for (String url : urls) {
            assertThat(CREDENTIAL_PARAMETER.matcher(url).find()).as("%s: a credential parameter in %s", where, url).isFalse();
            for (String secret : secrets) {
                assertThat(url).as(where).doesNotContain(secret);
            }
        }
    }

    /** HTTP port of an application of this fleet. */
    int httpPort(String app) {
        return Repo.httpPort(app) + offset;
    }

    /** {@code ./fleet down}, then checks that no process is left and every HTTP port is closed. */
    void downAndCheck() throws IOException, InterruptedException {
        Result down = fleet(Duration.ofSeconds(60), "down");
        assertThat(down.exit()).as(down.output()).isZero();
        Path pids = home.resolve("pids");
        if (Files.isDirectory(pids)) { // none: up never started anything
            try (var left = Files.list(pids)) {
                assertThat(left).as("no process left behind").isEmpty();
            }
        }
        for (int port : List.of(8080, 8081, 8082, 8083, 8084)) {
            assertThat(listening(port + offset)).as("port %d closed", port + offset).isFalse();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
