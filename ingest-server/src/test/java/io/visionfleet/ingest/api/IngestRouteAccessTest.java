package io.visionfleet.ingest.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.RouteAccessContract;
import io.visionfleet.common.testing.RouteAccessProfile;
import io.visionfleet.ingest.dashboard.DashboardPage;
import org.junit.jupiter.api.Tag;

/**
 * Every route of ingest-server is declared and answers as declared ({@link RouteAccessContract}):
 * ingest-server serves the dashboard page ({@link DashboardPage}) besides Quarkus's own
 * ({@link io.visionfleet.common.api.QuarkusRoutes}).
 */
@QuarkusTest
@TestProfile(RouteAccessProfile.class)
@Tag("integration")
class IngestRouteAccessTest extends RouteAccessContract {
    IngestRouteAccessTest() {
        super(DashboardPage.class);
    }
}
