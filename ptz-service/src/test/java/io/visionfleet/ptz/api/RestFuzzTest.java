package io.visionfleet.ptz.api;

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
import static io.visionfleet.common.testing.FuzzEndpoint.post;
import static io.visionfleet.common.testing.FuzzEndpoint.put;

/**
 * Hostile input on every endpoint of ptz-service gets a 4xx with a message, and the service keeps serving. Calibration
 * of the real camera takes seconds, so the fuzzer aims it at cameras that do not exist only.
 */
@QuarkusTest
@TestProfile(FuzzedApp.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class RestFuzzTest extends RestFuzzContract {
    @Override
    protected RestFuzzer fuzzer(URI base) {
        return RestFuzzer.against("ptz-service", base).credentials(Map.of("Authorization", "Bearer test-token")).endpoints(
                get("/ptz").query("camera").answers(200),
                get("/ptz/{camera}/status").real("camera", "sim").answers(200),
                post("/ptz/{camera}/move").real("camera", "sim").answers(200)
                        .body("{\"pan_speed\":0.5,\"tilt_speed\":-0.2,\"zoom_speed\":0,\"duration_ms\":300}"),
                post("/ptz/{camera}/move").real("camera", "sim").answers(200)
                        .body("{\"pan_deg\":10.5,\"tilt_deg\":-5,\"zoom\":2,\"stop\":false}"),
                put("/ptz/{camera}/mode").real("camera", "sim").answers(200)
                        .body("{\"mode\":\"auto\",\"policy\":\"follow\",\"follow_by\":\"id\",\"target_id\":3,\"labels\":[\"person\",\"car\"]}"),
                post("/ptz/{camera}/presets/{n}").real("camera", "sim").real("n", "1", "2").answers(200),
                put("/ptz/{camera}/presets/{n}").real("camera", "sim").real("n", "1", "2").answers(204),
                post("/ptz/{camera}/calibrate"),
                get("/streams").query("id").answers(200),
                get("/ownership").query("stream"))
                .healthy("/q/health/ready", "/ptz/sim/status");
    }
}
