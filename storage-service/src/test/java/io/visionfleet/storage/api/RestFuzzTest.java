package io.visionfleet.storage.api;

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

/**
 * Hostile input on every endpoint of storage-service gets a 4xx with a message, and the service keeps serving.
 * Whatever earlier tests recorded under the test archive is real data here: listing and downloading it is a 2xx.
 */
@QuarkusTest
@TestProfile(FuzzedApp.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class RestFuzzTest extends RestFuzzContract {
    @Override
    protected RestFuzzer fuzzer(URI base) {
        return RestFuzzer.against("storage-service", base).credentials(Map.of("Authorization", "Bearer test-token")).endpoints(
                get("/archive/streams").query("from").answers(200),
                get("/archive/streams/{id}/sessions").real("id", "drone").answers(200),
                get("/archive/streams/{id}/sessions/{sessionId}").real("id", "drone").answers(200),
                get("/archive/streams/{id}/segments").real("id", "drone").query("from", "to").answers(200),
                get("/archive/streams/{id}/segments/{start}.mp4").real("id", "drone").answers(200, 206),
                get("/archive/streams/{id}/clip.mp4").real("id", "drone").query("from", "to").answers(200),
                get("/archive/streams/{id}/results").real("id", "drone").query("from", "to", "kind").answers(200),
                get("/streams/{id}/snapshot.jpg").real("id", "drone").answers(200),
                get("/streams").query("id").answers(200),
                get("/ownership").query("stream"))
                .healthy("/q/health/ready", "/archive/streams");
    }
}
