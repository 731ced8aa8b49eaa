package io.visionfleet.storage.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ControlAccessContract;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

/**
 * storage-service deletes and changes nothing over HTTP (retention is its own); a state-changing request is still
 * refused without the fleet token before the service says it has no such method (405)
 * ({@link ControlAccessContract}). Archive paths cannot leave the archive.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class StorageControlAccessTest extends ControlAccessContract {
    @Override
    protected List<ControlCall> controlCalls() {
        return List.of(
                call("DELETE", "/archive/streams/drone/sessions", null, 405),
                call("POST", "/archive/streams", "{}", 405));
    }

    @Override
    protected List<String> openReads() {
        return List.of("/q/health/live", "/q/metrics", "/streams", "/archive/streams");
    }

    @Test
    void archivePathsCannotLeaveTheArchive() {
        for (String id : new String[]{"..", "..%2F..%2Fetc", "%2e%2e", "a%2Fb"}) {
            given().urlEncodingEnabled(false).get("/archive/streams/" + id + "/sessions").then()
                    .statusCode(oneOf(400, 404)).body("status", oneOf(400, 404));
        }
        given().urlEncodingEnabled(false).get("/archive/streams/drone/segments/..%2F..%2Fpasswd.mp4").then()
                .statusCode(oneOf(400, 404));
        given().get("/archive/streams/x.y/sessions/x.y-1").then().statusCode(404).body("status", is(404));
    }
}
