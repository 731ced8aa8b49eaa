package io.visionfleet.frameprocessor.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ControlAccessContract;

import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Start, mode, prompts, object removal and stop need the fleet token ({@link ControlAccessContract}). The stream
 * here has no relay behind it, so a prompt and a removal with the token get the resource's own answer (no frame yet);
 * FrameProcessorEndToEndTest has them succeed on a live stream.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class FrameProcessorControlAccessTest extends ControlAccessContract {
    @Override
    protected List<ControlCall> controlCalls() {
        return List.of(
                call("POST", "/streams/access1/start", null, 202),
                call("PUT", "/streams/access1/mode", "{\"mode\":\"interactive\"}", 200),
                call("POST", "/streams/access1/prompts", "{\"box\":[1,1,10,10]}", 409),
                call("DELETE", "/streams/access1/objects/1", null, 409),
                call("POST", "/streams/access1/stop", null, 204));
    }

    @Override
    protected List<String> openReads() {
        return List.of("/q/health/live", "/q/metrics", "/streams", "/streams/drone/mode");
    }
}
