package io.visionfleet.common.rtsp;

import io.visionfleet.common.net.UrlCredentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The consumer's RTSP client against a scripted server that checks Digest responses with its own RFC 7616 arithmetic:
 * qop=auth with counted nonces (what cameras ask for), a stale nonce, and refused credentials.
 */
@Tag("quick")
class RtspClientAuthTest {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");
    private static final String REALM = "cam";
    private static final String USER = "viewer";
    private static final String PASSWORD = "s3cret:with:colons";
    private static final Optional<UrlCredentials.Login> LOGIN = Optional.of(new UrlCredentials.Login(USER, PASSWORD));

    @Test
    void digestWithQopAuthCountsNoncesAndIsChallengedOnlyOnce() throws Exception {
        List<Map<String, String>> seen = new ArrayList<>();
        try (ScriptedServer server = new ScriptedServer((request, auth) -> {
            if (auth == null) {
                return challenge("Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"n1\", opaque=\"op\", algorithm=MD5",
                        "Basic realm=\"" + REALM + "\"");
            }
            seen.add(auth);
            return validResponse(auth, request, PASSWORD) ? ok() : challenge("Digest realm=\"" + REALM + "\", nonce=\"n1\"");
        }); RtspClient client = RtspClient.connect(server.url(), LOGIN, Duration.ofSeconds(5))) {
            assertThat(client.request("DESCRIBE", server.url().toString()).status()).isEqualTo(200);
            assertThat(client.request("SETUP", server.url() + "/track1").status()).isEqualTo(200);
        }
        assertThat(seen).extracting(a -> a.get("nc")).containsExactly("00000001", "00000002");
        assertThat(seen).allSatisfy(a -> {
            assertThat(a).containsEntry("qop", "auth").containsEntry("opaque", "op").containsEntry("username", USER);
            assertThat(a.get("cnonce")).isNotBlank();
        });
    }

    @Test
    void aStaleNonceIsAnsweredWithTheNewOneWithoutGivingUp() throws Exception {
        try (ScriptedServer server = new ScriptedServer((request, auth) -> {
            if (auth == null) {
                return challenge("Digest realm=\"" + REALM + "\", nonce=\"old\"");
            }
            if (auth.get("nonce").equals("old") && request[0].equals("SETUP")) {
                return challenge("Digest realm=\"" + REALM + "\", nonce=\"new\", stale=TRUE");
            }
            return validResponse(auth, request, PASSWORD) ? ok() : challenge("Digest realm=\"" + REALM + "\", nonce=\"x\"");
        }); RtspClient client = RtspClient.connect(server.url(), LOGIN, Duration.ofSeconds(5))) {
            assertThat(client.request("DESCRIBE", server.url().toString()).status()).isEqualTo(200);
            assertThat(client.request("SETUP", server.url() + "/track1").status()).isEqualTo(200);
        }
    }

    @Test
    void refusedCredentialsEndInA401NotARetryLoop() throws Exception {
        try (ScriptedServer server = new ScriptedServer((request, auth) -> auth != null && validResponse(auth, request, "other")
                ? ok() : challenge("Digest realm=\"" + REALM + "\", nonce=\"n\"")); RtspClient client =
                     RtspClient.connect(server.url(), LOGIN, Duration.ofSeconds(5))) {
            Throwable refused = catchThrowable(() -> client.request("DESCRIBE", server.url().toString()));
            assertThat(refused).isInstanceOf(RtspStatusException.class);
            assertThat(((RtspStatusException) refused).status()).isEqualTo(401);
            assertThat(server.requests()).isEqualTo(2);
        }
    }

    /** The server's own check: RFC 7616's response for MD5, with qop=auth when the client used it. */
    private static boolean validResponse(Map<String, String> auth, String[] request, String password) {
        String ha1 = md5(auth.get("username") + ":" + REALM + ":" + password);
        String ha2 = md5(request[0] + ":" + request[1]);
        String expected = auth.containsKey("qop")
                ? md5(ha1 + ":" + auth.get("nonce") + ":" + auth.get("nc") + ":" + auth.get("cnonce") + ":auth:" + ha2)
                : md5(ha1 + ":" + auth.get("nonce") + ":" + ha2);
        return request[1].equals(auth.get("uri")) && expected.equals(auth.get("response"));
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ok() {
        return "RTSP/1.0 200 OK\r\n";
    }

    private static String challenge(String... schemes) {
        StringBuilder answer = new StringBuilder("RTSP/1.0 401 Unauthorized\r\n");
        for (String scheme : schemes) {
            answer.append("WWW-Authenticate: ").append(scheme).append("\r\n");
        }
        return answer.toString();
    }

    /** Answers each request of one connection by the script, given the request line's method and URI and the parsed Digest header. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CompletableFuture<Void> done;
        private volatile int requests;

        ScriptedServer(BiFunction<String[], Map<String, String>, String> script) throws IOException {
            done = CompletableFuture.runAsync(() -> serve(script));
        }

        URI url() {
            return URI.create("rtsp://127.0.0.1:" + socket.getLocalPort() + "/cam");
        }

        int requests() {
            return requests;
        }

        private void serve(BiFunction<String[], Map<String, String>, String> script) {
            try (Socket connection = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = connection.getOutputStream();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] request = line.split(" ");
                    String cseq = "";
                    Map<String, String> auth = null;
                    for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                        if (header.startsWith("CSeq:")) {
                            cseq = header.substring(5).trim();
                        } else if (header.startsWith("Authorization: Digest ")) {
                            auth = new LinkedHashMap<>();
                            Matcher m = PARAM.matcher(header.substring(22));
                            while (m.find()) {
                                auth.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
                            }
                        }
                    }
                    requests++;
                    out.write((script.apply(request, auth) + "CSeq: " + cseq + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the client closed the connection: the script is over
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            done.cancel(true);
        }
    }
}
