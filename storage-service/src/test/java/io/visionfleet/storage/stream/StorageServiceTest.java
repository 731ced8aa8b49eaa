package io.visionfleet.storage.stream;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ConsumerServiceContract;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * storage-service serves health with real checks, metrics and stream status (see {@link ConsumerServiceContract}),
 * its archive readiness check, an OpenAPI document of its archive API, and refusals in the fleet's error body.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class StorageServiceTest extends ConsumerServiceContract {
    @Override
    protected boolean decodedMode() {
        return false; // packet mode: every packet on its stream's reading thread
    }

    @Test
    void readinessReportsTheArchive() {
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'archive' }.status", is("UP"))
                .body("checks.find { it.name == 'archive' }.data.writable", is(true))
                .body("checks.find { it.name == 'archive' }.data.recording_allowed", is(true));
    }

    @Test
    void theArchiveApiIsDocumentedInOpenApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/archive/streams/{id}/segments/{start}.mp4"))
                .body(containsString("/archive/streams/{id}/clip.mp4"))
                .body(containsString("/archive/streams/{id}/results"))
                .body(containsString("/streams/{id}/snapshot.jpg"));
    }

    @Test
    void refusalsSayWhy() {
        given().get("/streams/nothing-here/snapshot.jpg").then().statusCode(404)
                .body("status", is(404)).body("message", is("no snapshot of stream nothing-here yet"));
        given().get("/archive/streams/bad id/segments").then().statusCode(400)
                .body("status", is(400)).body("message", containsString("invalid stream id"));
    }
}
