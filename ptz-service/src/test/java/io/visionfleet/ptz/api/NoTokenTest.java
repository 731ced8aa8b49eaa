package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Started without a fleet token and without {@code fleet.api.insecure}: the control API answers 503 with the reason
 * whatever is presented, readiness is down and says why, and reads still answer.
 */
@QuarkusTest
@TestProfile(NoTokenTest.WithoutToken.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class NoTokenTest {
    public static class WithoutToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.api.token", "");
        }
    }

    @Test
    void controlIsRefusedWithTheReason() {
        for (String authorization : new String[]{"Bearer test-token", "Bearer anything", "Bearer change-me"}) {
            given().header("Authorization", authorization).contentType("application/json").body("{\"stop\":true}")
                    .post("/ptz/sim/move").then().statusCode(503).body("status", is(503))
                    .body("message", containsString("no fleet token configured"))
                    .body("message", containsString("FLEET_API_TOKEN"));
        }
        given().post("/ptz/sim/presets/1").then().statusCode(503);
    }

    @Test
    void readinessIsDownAndSaysWhyWhileReadsAnswer() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'api-access' }.status", is("DOWN"))
                .body("checks.find { it.name == 'api-access' }.data.reason", containsString("fleet.api.insecure=true"));
        given().get("/ptz/sim/status").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }
}
