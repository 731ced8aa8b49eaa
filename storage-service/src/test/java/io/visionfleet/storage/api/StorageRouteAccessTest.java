package io.visionfleet.storage.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.RouteAccessContract;
import io.visionfleet.common.testing.RouteAccessProfile;
import org.junit.jupiter.api.Tag;

/**
 * Every route of storage-service is declared and answers as declared ({@link RouteAccessContract}):
 * storage-service serves its API description ({@link OpenApiRoutes}) besides Quarkus's own
 * ({@link io.visionfleet.common.api.QuarkusRoutes}).
 */
@QuarkusTest
@TestProfile(RouteAccessProfile.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class StorageRouteAccessTest extends RouteAccessContract {
    StorageRouteAccessTest() {
        super(OpenApiRoutes.class);
    }
}
