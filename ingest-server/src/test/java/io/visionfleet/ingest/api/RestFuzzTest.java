package io.visionfleet.ingest.api;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.RestFuzzContract;
import io.visionfleet.common.testing.RestFuzzer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.visionfleet.common.testing.FuzzEndpoint.delete;
import static io.visionfleet.common.testing.FuzzEndpoint.get;
import static io.visionfleet.common.testing.FuzzEndpoint.post;
import static io.visionfleet.common.testing.FuzzEndpoint.put;

/**
 * Hostile input on every REST endpoint of ingest-server (and the dashboard page) gets a 4xx with a message, and the
 * server keeps serving. The
 * dashboard proxy is attacked too: behind it, processor and storage are a stand-in service that refuses everything
 * with a JSON 404, slam and ptz are dead peers (nothing listens), which the proxy documents as 502 with a message.
 */
@QuarkusTest
@TestProfile(RestFuzzTest.Upstreams.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class RestFuzzTest extends RestFuzzContract {
    private static final int STAND_IN = 18588;
    private static final int DEAD = 18589;
    private static HttpServer standIn;

    public static class Upstreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.dashboard.processor-url", "http://127.0.0.1:" + STAND_IN,
                    "fleet.dashboard.storage-url", "http://127.0.0.1:" + STAND_IN + "/base",
                    "fleet.dashboard.slam-url", "http://127.0.0.1:" + DEAD,
                    "fleet.dashboard.ptz-url", "http://127.0.0.1:" + DEAD,
                    "fleet.api.failure-delay.free-failures", "1000000");
        }
    }

    @BeforeAll
    static void standIn() throws IOException {
        standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", STAND_IN), 0);
        standIn.createContext("/", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            byte[] body = "{\"status\":404,\"message\":\"stand-in refuses\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        standIn.start();
    }

    @AfterAll
    static void stopStandIn() {
        standIn.stop(0);
    }

    @Override
    protected RestFuzzer fuzzer(URI base) {
        String[] services = {"processor", "storage", "slam", "ptz"};
        String[] paths = {"streams", "streams/drone/mode", "ptz/sim/move"};
        return RestFuzzer.against("ingest-server", base).credentials(Map.of("Authorization", "Bearer test-token")).endpoints(
                get("/").query("token").answers(200, 206, 416), // the dashboard page, a static file: Range applies
                get("/streams").query("id").answers(200),
                get("/streams/{id}").real("id", "fuzzcam").answers(200),
                post("/streams").body("{\"id\":\"fuzzcam\",\"url\":\"rtsp://127.0.0.1:1/x\"}").answers(201, 503),
                delete("/streams/{id}").real("id", "fuzzcam").answers(204),
                get("/rtsp/status").query("stream").answers(200),
                get("/api/{service}/{path}").real("service", services).real("path", paths).query("token").answers(502),
                post("/api/{service}/{path}").real("service", services).real("path", paths)
                        .body("{\"mode\":\"interactive\",\"pan_speed\":0.5}").answers(502),
                put("/api/{service}/{path}").real("service", services).real("path", paths)
                        .body("{\"mode\":\"auto\"}").answers(502),
                delete("/api/{service}/{path}").real("service", services).real("path", paths).answers(502))
                .healthy("/q/health/ready", "/streams");
    }
}
