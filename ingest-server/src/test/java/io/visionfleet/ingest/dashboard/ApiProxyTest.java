package io.visionfleet.ingest.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code /api/{service}/**} against real sockets: a working service (headers and Range both ways; control needs the
 * fleet token, which reaches the service as the caller sent it and is never replaced by one of the proxy's own),
 * one that is down (502), one that answers garbage (502) and one that never answers (504). The proxy keeps serving.
 */
@QuarkusTest
@TestProfile(ApiProxyTest.Upstreams.class)
@Tag("integration")
class ApiProxyTest {
    private static final int GOOD = 18591;
    private static final int DOWN = 18592;
    private static final int GARBAGE = 18593;
    private static final int SILENT = 18594;
    private static HttpServer good;
    private static final List<RawUpstream> raw = new ArrayList<>();
    /** Filled by the silent upstream's accept thread while the dashboard's replica directory keeps calling it. */
    private static final List<Socket> held = new CopyOnWriteArrayList<>();

    public static class Upstreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.dashboard.storage-url", "http://127.0.0.1:" + GOOD + "/base",
                    "fleet.dashboard.processor-url", "http://127.0.0.1:" + DOWN,
                    "fleet.dashboard.slam-url", "http://127.0.0.1:" + GARBAGE,
                    "fleet.dashboard.ptz-url", "http://127.0.0.1:" + SILENT,
                    "fleet.dashboard.proxy-timeout", "1s",
                    "fleet.api.token", "secret");
        }
    }

    @BeforeAll
    static void upstreams() throws IOException {
        good = HttpServer.create(new InetSocketAddress("127.0.0.1", GOOD), 0);
        good.createContext("/", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " range=" + range + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " cookie=" + exchange.getRequestHeaders().getFirst("Cookie"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-9/100");
            exchange.sendResponseHeaders(range == null ? 200 : 206, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        good.start();
        raw.add(RawUpstream.serve(GARBAGE, socket -> {
            socket.getOutputStream().write("HTTP/9.9 nonsense\r\n\u0001\u0002\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.close();
        }));
        raw.add(RawUpstream.serve(SILENT, held::add)); // accepts and never answers
    }

    @AfterAll
    static void stop() throws Exception {
        good.stop(0);
        for (RawUpstream upstream : raw) {
            upstream.close();
        }
        for (Socket s : held) { // complete: the silent upstream's accept thread has ended
            s.close();
        }
    }

    @Test
    void aWorkingServiceIsReachedWithPathQueryAndRange() {
        given().header("Range", "bytes=0-9").when().get("/api/storage/archive/streams/s1/segments/1.mp4?x=1").then()
                .statusCode(206).header("Content-Range", "bytes 0-9/100")
                .body(equalTo("GET /base/archive/streams/s1/segments/1.mp4?x=1 range=bytes=0-9 auth=null cookie=null"));
    }

    @Test
    void controlNeedsTheTokenWhichGoesToTheServiceAsTheCallerSentIt() {
        given().body("{}").contentType("application/json").when().post("/api/storage/x").then().statusCode(401)
                .body("message", containsString("missing credential"));
        given().header("Authorization", "Bearer wrong").body("{}").contentType("application/json").when().post("/api/storage/x")
                .then().statusCode(401);
        given().header("Authorization", "Bearer secret").body("{}").contentType("application/json").when().post("/api/storage/x")
                .then().statusCode(200).body(equalTo("POST /base/x range=null auth=Bearer secret cookie=null"));
    }

    @Test
    void aLoginsSessionCookieAloneGoesToTheServiceWhichChecksItAgain() {
        String session = given().header("Authorization", "Bearer secret").when().post("/auth/session").then().statusCode(200)
                .body("role", equalTo("operator")).extract().cookie("fleet_session");
        String sent = "fleet_session=" + session;
        given().header("Cookie", "theme=dark; " + sent + "; other=1").when().get("/api/storage/x").then().statusCode(200)
                .body(equalTo("GET /base/x range=null auth=null cookie=" + sent));
        given().header("Cookie", sent).header("X-Requested-With", "test").body("{}").contentType("application/json")
                .when().post("/api/storage/x").then().statusCode(200).body(equalTo("POST /base/x range=null auth=null cookie=" + sent));
        given().header("Cookie", sent).body("{}").contentType("application/json").when().post("/api/storage/x").then()
                .statusCode(403).body("message", containsString("X-Requested-With"));
    }

    @Test
    void aServiceThatIsDownGives502() {
        given().when().get("/api/processor/streams").then().statusCode(502)
                .body("status", equalTo(502)).body("message", containsString("frame-processor at http://127.0.0.1:" + DOWN));
    }

    @Test
    void garbageFromAServiceGives502() {
        given().when().get("/api/slam/streams").then().statusCode(502)
                .body("message", containsString("slam-service")).body("message", containsString("no valid HTTP answer"));
    }

    @Test
    void aServiceThatNeverAnswersGives504() {
        given().when().get("/api/ptz/ptz").then().statusCode(504)
                .body("message", containsString("ptz-service")).body("message", containsString("did not answer within 1000 ms"));
        aWorkingServiceIsReachedWithPathQueryAndRange(); // still serving
    }

    @Test
    void unknownServicesAndTraversalAreRefused() {
        given().when().get("/api/nothing/x").then().statusCode(404).body("message", containsString("no service 'nothing'"));
        given().urlEncodingEnabled(false).when().get("/api/storage/a/%2e%2e/%2e%2e/etc").then().statusCode(400);
    }

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    /** A socket server that hands each connection to its handler on one accept thread. */
    private record RawUpstream(ServerSocket server, Thread acceptor) implements AutoCloseable {
        static RawUpstream serve(int port, Handler handler) throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", port));
            Thread thread = new Thread(() -> {
                while (true) {
                    Socket socket;
                    try {
                        socket = server.accept();
                    } catch (IOException e) {
                        return; // closed
                    }
                    try {
                        handler.handle(socket);
                    } catch (IOException e) {
                        closeQuietly(socket); // that client left early; the upstream serves on
                    }
                }
            }, "upstream-" + port);
            thread.setDaemon(true);
            thread.start();
            return new RawUpstream(server, thread);
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }

        /** Stops accepting and waits for the accept thread, so that it hands over no connection afterwards. */
        @Override
        public void close() throws IOException, InterruptedException {
            server.close();
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
