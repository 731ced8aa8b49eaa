package io.visionfleet.frameprocessor.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.RouteAccessContract;
import io.visionfleet.common.testing.RouteAccessProfile;
import org.junit.jupiter.api.Tag;

/** Every route of frame-processor is declared and answers as declared ({@link RouteAccessContract}). */
@QuarkusTest
@TestProfile(RouteAccessProfile.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class FrameProcessorRouteAccessTest extends RouteAccessContract {
}
