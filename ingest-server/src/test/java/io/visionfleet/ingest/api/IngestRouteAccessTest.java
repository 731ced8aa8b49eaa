package io.visionfleet.ingest.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.api.QuarkusRoutes;
import io.visionfleet.common.testing.RouteAccessContract;
import io.visionfleet.common.testing.RouteAccessProfile;
import io.visionfleet.ingest.dashboard.DashboardPage;
import org.junit.jupiter.api.Tag;

import java.util.List;

/**
 * Every route of ingest-server is declared and answers as declared ({@link RouteAccessContract}):
 * ingest-server serves the dashboard page ({@link DashboardPage}) besides Quarkus's own routes.
 */
@QuarkusTest
@TestProfile(RouteAccessProfile.class)
@Tag("integration")
class IngestRouteAccessTest extends RouteAccessContract {
    @Override
    protected List<Class<?>> routeDeclarations() {
        return List.of(QuarkusRoutes.class, DashboardPage.class);
    }
}
