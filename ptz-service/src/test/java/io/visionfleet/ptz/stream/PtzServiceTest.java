package io.visionfleet.ptz.stream;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ConsumerServiceContract;
import org.junit.jupiter.api.Tag;

/** ptz-service serves health with real checks, metrics and stream status (see {@link ConsumerServiceContract}). */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PtzServiceTest extends ConsumerServiceContract {
}
