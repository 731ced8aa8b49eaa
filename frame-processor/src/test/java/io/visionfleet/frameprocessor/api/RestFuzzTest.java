package io.visionfleet.frameprocessor.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.FuzzEndpoint;
import io.visionfleet.common.testing.FuzzedApp;
import io.visionfleet.common.testing.RestFuzzContract;
import io.visionfleet.common.testing.RestFuzzer;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Tag;

import static io.visionfleet.common.testing.FuzzEndpoint.delete;
import static io.visionfleet.common.testing.FuzzEndpoint.get;
import static io.visionfleet.common.testing.FuzzEndpoint.post;
import static io.visionfleet.common.testing.FuzzEndpoint.put;

/** Hostile input on every endpoint of frame-processor gets a 4xx with a message, and the service keeps serving. */
@QuarkusTest
@TestProfile(FuzzedApp.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class RestFuzzTest extends RestFuzzContract {
    @Override
    protected RestFuzzer fuzzer(URI base) {
        return RestFuzzer.against("frame-processor", base).credentials(Map.of("Authorization", "Bearer test-token")).endpoints(
                post("/streams/{id}/prompts").real("id", "drone")
                        .body("{\"object_id\":7,\"points\":[{\"x\":320,\"y\":180,\"positive\":true}],\"box\":[300,150,60,80],\"label\":\"person\"}"),
                delete("/streams/{id}/objects/{objectId}").real("id", "drone").real("objectId", "1"),
                put("/streams/{id}/mode").real("id", "drone").body("{\"mode\":\"interactive\"}").answers(200),
                get("/streams/{id}/mode").real("id", "drone").answers(200),
                get("/streams/{id}/fps").real("id", "drone").answers(200),
                post("/streams/{id}/start").real("id", "drone").answers(202, 503),
                post("/streams/{id}/stop").real("id", "drone").answers(204),
                get("/streams/{id}/overlay.mjpeg").real("id", "drone").answers(200),
                get("/streams").query("id").answers(200),
                get("/ownership").query("stream"))
                .healthy("/q/health/ready", "/streams");
    }
}
