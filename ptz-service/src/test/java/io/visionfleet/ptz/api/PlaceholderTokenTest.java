package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;

import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Started with the token the shipped manifests carry ({@code change-me}): it counts as no token, so everything
 * {@link NoTokenTest} checks holds, and the published placeholder opens nothing.
 */
@QuarkusTest
@TestProfile(PlaceholderTokenTest.WithPlaceholder.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PlaceholderTokenTest extends NoTokenTest {
    public static class WithPlaceholder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.api.token", "change-me");
        }
    }
}
