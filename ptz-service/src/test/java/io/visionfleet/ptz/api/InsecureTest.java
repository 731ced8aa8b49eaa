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

/** {@code fleet.api.insecure=true} and no token: control is open, and readiness says so. */
@QuarkusTest
@TestProfile(InsecureTest.Insecure.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class InsecureTest {
    public static class Insecure implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.api.token", "", "fleet.api.insecure", "true");
        }
    }

    @Test
    void controlIsOpenAndReadinessSaysSo() {
        given().contentType("application/json").body("{\"stop\":true}").post("/ptz/sim/move").then().statusCode(200);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'api-access' }.status", is("UP"))
                .body("checks.find { it.name == 'api-access' }.data.control", containsString("insecure"));
    }
}
