package io.visionfleet.storage.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.api.QuarkusRoutes;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.RouteAccessContract;
import io.visionfleet.common.testing.RouteAccessProfile;
import org.junit.jupiter.api.Tag;

import java.util.List;

/**
 * Every route of storage-service is declared and answers as declared ({@link RouteAccessContract}):
 * storage-service serves its API description ({@link OpenApiRoutes}) besides Quarkus's own routes.
 */
@QuarkusTest
@TestProfile(RouteAccessProfile.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class StorageRouteAccessTest extends RouteAccessContract {
    @Override
    protected List<Class<?>> routeDeclarations() {
        return List.of(QuarkusRoutes.class, OpenApiRoutes.class);
    }
}
