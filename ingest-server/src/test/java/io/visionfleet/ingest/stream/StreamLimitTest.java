package io.visionfleet.ingest.stream;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.ingest.testing.WsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** Valid requests cannot open streams without bound: past {@code fleet.relay.max-streams} they are refused with why. */
@QuarkusTest
@TestProfile(StreamLimitTest.TwoStreams.class)
@Tag("integration")
class StreamLimitTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    public static class TwoStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.relay.max-streams", "2");
        }
    }

    @Test
    void publishersAndPullSourcesPastTheLimitAreRefusedUntilAStreamEnds() throws Exception {
        try (WsClient first = WsClient.connect("/ws/video/lim-a")) {
            await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/lim-a").then().statusCode(200));
            given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON)
                    .body("{\"id\":\"lim-cam\",\"url\":\"rtsp://127.0.0.1:1/x\"}").when().post("/streams")
                    .then().statusCode(201);
            try (WsClient third = WsClient.connect("/ws/video/lim-c")) {
                assertThat(third.reply(WITHIN)).contains("\"type\":\"error\"").contains("fleet.relay.max-streams");
                assertThat(third.closeCode(WITHIN)).isEqualTo(1013);
            }
            given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON)
                    .body("{\"id\":\"lim-cam2\",\"url\":\"rtsp://127.0.0.1:1/x\"}").when().post("/streams")
                    .then().statusCode(503).body("message", containsString("already serves 2 streams"));
            get("/streams/lim-c").then().statusCode(404);
            get("/streams/lim-cam2").then().statusCode(404);
            assertThat(first.isOpen()).as("the streams already open are not disturbed").isTrue();
            get("/streams/lim-a").then().statusCode(200);
        }
        await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/lim-a").then().statusCode(404));
        try (WsClient again = WsClient.connect("/ws/video/lim-c")) {
            await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/lim-c").then().statusCode(200));
            assertThat(again.isOpen()).isTrue();
        }
        given().auth().oauth2(FleetToken.TEST).when().delete("/streams/lim-cam").then().statusCode(204);
    }
}
