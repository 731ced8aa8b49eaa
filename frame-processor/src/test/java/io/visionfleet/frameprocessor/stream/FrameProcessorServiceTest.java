package io.visionfleet.frameprocessor.stream;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ConsumerServiceContract;
import org.junit.jupiter.api.Order;

/**
 * frame-processor serves health with real checks, metrics and stream status (see {@link ConsumerServiceContract}).
 * It runs first (see junit-platform.properties): its checks must not be shadowed by an earlier app's.
 */
@QuarkusTest
@Order(1)
@WithTestResource(BrokerResource.class)
class FrameProcessorServiceTest extends ConsumerServiceContract {
}
