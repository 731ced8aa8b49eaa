package io.visionfleet.frameprocessor.stream;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ConsumerServiceContract;
import io.visionfleet.common.testing.FleetToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * frame-processor serves health with real checks, metrics and stream status (see {@link ConsumerServiceContract}),
 * and refuses bad commands in the fleet's error body.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class FrameProcessorServiceTest extends ConsumerServiceContract {
    @Test
    void refusalsSayWhy() {
        given().auth().oauth2(FleetToken.TEST).contentType("application/json").body("{\"mode\":").put("/streams/nosuch/mode").then().statusCode(400)
                .body("status", is(400)).body("message", containsString("invalid JSON body"));
        given().auth().oauth2(FleetToken.TEST).contentType("application/json").body("{}").put("/streams/nosuch/mode").then().statusCode(400)
                .body("message", containsString("body must be {\"mode\":\"automatic\"}"));
        given().auth().oauth2(FleetToken.TEST).post("/streams/nosuch/stop").then().statusCode(404)
                .body("status", is(404)).body("message", is("stream 'nosuch' is not being processed"));
    }
}
