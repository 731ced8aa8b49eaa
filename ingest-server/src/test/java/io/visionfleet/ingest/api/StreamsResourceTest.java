package io.visionfleet.ingest.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.ingest.testing.TestMedia;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Bad requests get a 4xx with a JSON message, and the API keeps serving. */
@QuarkusTest
@Tag("integration")
class StreamsResourceTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Inject
    TestRelay relay;

    @Test
    void badBodiesIdsAndUrlsAre400WithAMessage() throws IOException {
        post("{\"id\":\"cam1\",").then().statusCode(400)
                .body("status", equalTo(400)).body("message", containsString("invalid JSON body"));
        post("[]").then().statusCode(400).body("message", containsString("invalid JSON body"));
        post("{}").then().statusCode(400).body("message", containsString("body must be"));
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).when().post("/streams").then().statusCode(400);
        post("{\"id\":\"no spaces\",\"url\":\"rtsp://cam/x\"}").then().statusCode(400)
                .body("message", containsString("invalid stream id"));
        post("{\"id\":\"cam1\",\"url\":\"http://cam/x\"}").then().statusCode(400)
                .body("message", containsString("unsupported url scheme 'http'"));
        post("{\"id\":\"cam1\"}").then().statusCode(400).body("message", containsString("url is required"));
        // a missing file under the media directory; outside it: MediaDirectoryTest
        String missing = TestMedia.dir().resolve("no-such-dir/video.mp4").toString();
        post("{\"id\":\"cam1\",\"url\":\"file:" + missing + "\"}").then().statusCode(400)
                .body("message", containsString("no readable file"));
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.TEXT).body("cam1").when().post("/streams").then().statusCode(415)
                .body("status", equalTo(415));
        get("/streams").then().statusCode(200).body("id", not(hasItem("cam1")));
    }

    @Test
    void aDuplicateIs409AndUnknownStreamsAre404() {
        post("{\"id\":\"cam-dup\",\"url\":\"rtsp://127.0.0.1:1/x\"}").then().statusCode(201);
        post("{\"id\":\"cam-dup\",\"url\":\"rtsp://127.0.0.1:1/y\"}").then().statusCode(409)
                .body("message", containsString("already open"));
        get("/streams").then().statusCode(200).body("id", hasItem("cam-dup"));
        given().auth().oauth2(FleetToken.TEST).when().delete("/streams/cam-dup").then().statusCode(204);
        given().auth().oauth2(FleetToken.TEST).when().delete("/streams/cam-dup").then().statusCode(404).body("message", containsString("no stream 'cam-dup'"));
        get("/streams/cam-dup").then().statusCode(404).body("message", containsString("no stream"));
    }

    @Test
    void aWebSocketStreamIsListedButNotDeletable() {
        try (WsClient publisher = WsClient.connect("/ws/video/ws-only")) {
            await().atMost(WITHIN).untilAsserted(() -> get("/streams/ws-only").then().statusCode(200));
            get("/streams").then().body("find { it.id == 'ws-only' }.feed", equalTo("websocket"));
            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/ws-only").then().statusCode(409).body("message", containsString("WebSocket"));
        }
    }

    @Test
    void rtspStatusHasTheOriginalServersFieldsAndEveryStream() {
        post("{\"id\":\"status-cam\",\"url\":\"rtsp://127.0.0.1:1/x\"}").then().statusCode(201);
        try {
            get("/rtsp/status").then().statusCode(200)
                    .body("running", equalTo(true))
                    .body("rtsp_url", equalTo(relay.advertisedUrl("drone")))
                    .body("readers", equalTo(0))
                    .body("queue_size", equalTo(0))
                    .body("streams.id", hasItem("status-cam"))
                    .body("streams.find { it.id == 'status-cam' }.rtsp_url", equalTo(relay.advertisedUrl("status-cam")));
            get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'ingest' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'ingest' }.data.relay", equalTo("listening"))
                    .body("checks.find { it.name == 'ingest' }.data.'stream.status-cam'", containsString("ing"));
        } finally {
            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/status-cam").then().statusCode(204);
        }
    }

    private static io.restassured.response.Response post(String body) {
        return given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body(body).when().post("/streams");
    }
}
