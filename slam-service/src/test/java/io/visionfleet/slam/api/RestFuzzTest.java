package io.visionfleet.slam.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.FuzzedApp;
import io.visionfleet.common.testing.RestFuzzContract;
import io.visionfleet.common.testing.RestFuzzer;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Tag;

import static io.visionfleet.common.testing.FuzzEndpoint.get;

/** Hostile input on every endpoint of slam-service gets a 4xx with a message, and the service keeps serving. */
@QuarkusTest
@TestProfile(FuzzedApp.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class RestFuzzTest extends RestFuzzContract {
    @Override
    protected RestFuzzer fuzzer(URI base) {
        return RestFuzzer.against("slam-service", base).credentials(Map.of("Authorization", "Bearer test-token")).endpoints(
                get("/streams/{id}/trajectory").real("id", "drone").query("segment"),
                get("/streams/{id}/map.ply").real("id", "drone"),
                get("/streams/{id}/slam").real("id", "drone"),
                get("/streams").query("id").answers(200),
                get("/ownership").query("stream"))
                .healthy("/q/health/ready", "/streams");
    }
}
