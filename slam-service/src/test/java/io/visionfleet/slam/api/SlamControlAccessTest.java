package io.visionfleet.slam.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ControlAccessContract;

import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * slam-service has no control endpoint; a state-changing request is still refused without the fleet token before the
 * service says it has no such method (405) ({@link ControlAccessContract}).
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class SlamControlAccessTest extends ControlAccessContract {
    @Override
    protected List<ControlCall> controlCalls() {
        return List.of(
                call("POST", "/streams/drone/slam", "{}", 405),
                call("DELETE", "/streams/drone/trajectory", null, 405));
    }

    @Override
    protected List<String> openReads() {
        return List.of("/q/health/live", "/q/metrics", "/streams");
    }
}
