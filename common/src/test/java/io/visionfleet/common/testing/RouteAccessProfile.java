package io.visionfleet.common.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test profile of a {@link RouteAccessContract} ({@code @TestProfile(RouteAccessProfile.class)}): the service as
 * it runs outside tests, reads protected (the services' test configuration opens them for tests of other matters),
 * with a viewer token beside the fleet token.
 */
public class RouteAccessProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fleet.api.protect-reads", "true",
                "fleet.api.viewer-token", FleetToken.VIEWER,
                // every route is tried without a credential, hundreds of failures from one client: answered at once
                // instead of slowed down (the slowing has tests of its own), so the test takes seconds, not minutes
                "fleet.api.failure-delay.free-failures", "1000000");
    }
}
