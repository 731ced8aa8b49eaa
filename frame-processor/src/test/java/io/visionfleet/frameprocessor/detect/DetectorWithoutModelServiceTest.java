package io.visionfleet.frameprocessor.detect;

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

/** With the YOLO detector chosen but no model file, the service starts, says why on readiness and keeps serving. */
@QuarkusTest
@TestProfile(DetectorWithoutModelServiceTest.YoloWithoutModel.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class DetectorWithoutModelServiceTest {
    public static class YoloWithoutModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.processor.detector", "yolo", "fleet.processor.prompt-strategy", "hybrid");
        }
    }

    @Test
    void readinessNamesTheMissingModelWhileTheRestOfTheServiceWorks() {
        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'detector' }.status", is("DOWN"))
                .body("checks.find { it.name == 'detector' }.data.detector", is("yolo"))
                .body("checks.find { it.name == 'detector' }.data.reason", containsString("fleet.processor.yolo.model"))
                .body("checks.find { it.name == 'engine' }.status", is("UP"))
                .body("checks.find { it.name == 'engine' }.data.prompt_strategy", is("hybrid"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/streams/drone/mode").then().statusCode(200).body("mode", is("automatic"));
    }
}
