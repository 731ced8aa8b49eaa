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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A fleet started by the README's {@code ./fleet} script on its own ports (HTTP 8080-8084 plus {@code offset}, the
 * relay on {@code relayPort}) and state directory, so a fleet the developer runs is left alone.
 */
final class LocalFleet {
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
