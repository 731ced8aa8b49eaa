package io.visionfleet.frameprocessor.stream;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ConsumerServiceContract;

/** frame-processor serves health with real checks, metrics and stream status (see {@link ConsumerServiceContract}). */
@QuarkusTest
@WithTestResource(BrokerResource.class)
class FrameProcessorServiceTest extends ConsumerServiceContract {
}
