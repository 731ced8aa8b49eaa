package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.FleetToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repeated wrong tokens from one client are answered ever later, the right token is never delayed and starts the count
 * again. The delay (3 s here) is a lower bound the server guarantees; the answers that must not wait are only required
 * to come well within it, so the test does not depend on how busy the machine is.
 */
@QuarkusTest
@TestProfile(FailedAttemptsSlowingTest.Slowing.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class FailedAttemptsSlowingTest {
    private static final long DELAY_MS = 3000;

    public static class Slowing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.api.failure-delay.free-failures", "2",
                    "fleet.api.failure-delay.initial", DELAY_MS + "ms",
                    "fleet.api.failure-delay.max", DELAY_MS + "ms");
        }
    }

    @Test
    void theThirdWrongTokenInARowWaitsAndTheRightOneDoesNot() {
        long first = timedMove("Bearer wrong-1", 401);
        long second = timedMove("Bearer wrong-2", 401);
        long third = timedMove("Bearer wrong-3", 401);
        assertThat(third).as("the third consecutive failure waits").isGreaterThanOrEqualTo(DELAY_MS - 50);
        assertThat(Math.max(first, second)).as("the first two are answered at once").isLessThan(DELAY_MS);
        long right = timedMove(FleetToken.BEARER, 200);
        assertThat(right).as("the right token is never slowed down").isLessThan(DELAY_MS);
        long afterwards = timedMove("Bearer wrong-4", 401);
        assertThat(afterwards).as("a success starts the count again").isLessThan(DELAY_MS);
    }

    private static long timedMove(String authorization, int status) {
        long start = System.nanoTime();
        Response response = given().header("Authorization", authorization).contentType("application/json")
                .body("{\"stop\":true}").post("/ptz/sim/move");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        return ms;
    }
}
