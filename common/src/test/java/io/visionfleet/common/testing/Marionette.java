package io.visionfleet.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import org.awaitility.Awaitility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A headless Firefox (Debian's {@code firefox-esr}) driven over its Marionette protocol, since geckodriver is not
 * packaged: each message is {@code LENGTH:JSON}; a command is {@code [0, id, name, parameters]} and its answer
 * {@code [1, id, error, result]}.
 */
public final class Marionette implements AutoCloseable {
    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    private final Process firefox;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int nextId;

    private Marionette(Process firefox, Socket socket) throws IOException {
        this.firefox = firefox;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        read(); // the server's hello
        command("WebDriver:NewSession", Map.of("capabilities", Map.of()));
    }

    /** Starts {@code binary} headless on a fresh profile with these preferences and opens a session. */
    public static Marionette start(String binary, Path profile, Map<String, Object> prefs) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        StringBuilder userJs = new StringBuilder("user_pref(\"marionette.port\", " + port + ");\n");
        prefs.forEach((name, value) -> userJs.append("user_pref(\"").append(name).append("\", ")
                .append(value instanceof String ? "\"" + value + "\"" : value).append(");\n"));
        Files.createDirectories(profile);
        Files.writeString(profile.resolve("user.js"), userJs);
        Process firefox = new ProcessBuilder(binary, "--headless", "--marionette", "--no-remote", "--profile",
                profile.toString(), "about:blank").redirectErrorStream(true)
                .redirectOutput(profile.resolve("firefox.log").toFile()).start();
        try {
            Socket socket = Awaitility.await().atMost(START_WITHIN).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> firefox.isAlive() ? new Socket("127.0.0.1", port) : null, Objects::nonNull);
            return new Marionette(firefox, socket);
        } catch (RuntimeException | IOException failed) {
            firefox.destroyForcibly();
            throw new IllegalStateException("Firefox's Marionette did not answer on " + port + ": "
                    + Files.readString(profile.resolve("firefox.log")), failed);
        }
    }

    public void navigate(String url) throws IOException {
        command("WebDriver:Navigate", Map.of("url", url));
    }

    /** The value the script returns ({@code return ...}). */
    public JsonNode execute(String script) throws IOException {
        return command("WebDriver:ExecuteScript", Map.of("script", script, "args", List.of())).path("value");
    }

    public String version() throws IOException {
        return execute("return navigator.userAgent").asText();
    }

    private synchronized JsonNode command(String name, Map<String, Object> parameters) throws IOException {
        int id = ++nextId;
        byte[] body = Json.MAPPER.writeValueAsBytes(List.of(0, id, name, parameters));
        out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        JsonNode reply = read();
        if (!reply.path(2).isNull()) {
            throw new IOException(name + " failed: " + reply.path(2));
        }
        return reply.path(3);
    }

    private JsonNode read() throws IOException {
        ByteArrayOutputStream length = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != ':'; ) {
            if (b < 0) {
                throw new IOException("Marionette closed the connection");
            }
            length.write(b);
        }
        byte[] body = in.readNBytes(Integer.parseInt(length.toString(StandardCharsets.US_ASCII)));
        return Json.MAPPER.readTree(body);
    }

    @Override
    public void close() throws Exception {
        try {
            command("Marionette:Quit", Map.of());
        } catch (IOException alreadyGone) {
            // the browser closes the connection as it quits
        }
        socket.close();
        if (!firefox.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            firefox.destroyForcibly();
        }
    }
}
