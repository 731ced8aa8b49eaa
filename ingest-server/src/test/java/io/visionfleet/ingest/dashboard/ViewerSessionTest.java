package io.visionfleet.ingest.dashboard;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.ingest.testing.WsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The dashboard's sockets follow the login: with reads private (the product's default), a results socket opened with
 * a login's cookie is closed with 1008 when that session ends, as the page's other reads would then be refused, while
 * one opened with a token stays; none opens without a credential.
 */
@QuarkusTest
@TestProfile(ViewerSessionTest.ShortSessions.class)
@Tag("integration")
class ViewerSessionTest {
    private static final String VIEWER = "viewer-token-of-the-session-test";

    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.api.protect-reads", "true", "fleet.api.viewer-token", VIEWER,
                    "fleet.api.session-lifetime", "3s");
        }
    }

    @Test
    void aSocketLetInByALoginIsClosedWhenTheSessionEnds() throws Exception {
        String cookie = "fleet_session=" + given().header("Authorization", "Bearer " + VIEWER).when().post("/auth/session")
                .then().statusCode(200).extract().cookie("fleet_session");
        try (WsClient session = WsClient.connect("/ws/results/session-test", "Cookie", cookie);
             WsClient token = WsClient.connect("/ws/results/session-test", "Authorization", "Bearer " + VIEWER)) {
            assertThat(session.closeCode(Duration.ofSeconds(30))).isEqualTo(1008);
            assertThat(session.closeReason()).contains("session expired");
            assertThat(token.isOpen()).as("a token has no session to end").isTrue();
        }
        given().header("Cookie", cookie).when().get("/streams").then().statusCode(401);
        assertThat(catchThrowable(() -> WsClient.connect("/ws/results/session-test").close())).as("no credential").isNotNull();
    }
}
