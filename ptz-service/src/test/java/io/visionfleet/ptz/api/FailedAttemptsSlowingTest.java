package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.FleetToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repeated wrong tokens from one client are answered ever later, the right token is never delayed and starts the count
 * again. The delay is {@link HeldRefusals#DELAY}, so a held refusal is told from an answered one without timing either.
 */
@QuarkusTest
@TestProfile(FailedAttemptsSlowingTest.Slowing.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class FailedAttemptsSlowingTest {
    private static final String AUTHORIZATION = "Authorization";

    public static class Slowing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return HeldRefusals.config();
        }
    }

    @TestHTTPResource("/ptz/sim/move")
    URI move;

    @Test
    void theThirdWrongTokenInARowIsHeldAndTheRightOneIsNot() throws Exception {
        HeldRefusals moves = new HeldRefusals(move);
        assertThat(moves.answered(AUTHORIZATION, "Bearer wrong-1")).as("the first failure is answered").isEqualTo(401);
        assertThat(moves.answered(AUTHORIZATION, "Bearer wrong-2")).as("so is the second").isEqualTo(401);
        assertThat(moves.answered(AUTHORIZATION, FleetToken.BEARER)).isEqualTo(200);
        assertThat(moves.answered(AUTHORIZATION, "Bearer wrong-3")).as("a success starts the count again").isEqualTo(401);
        assertThat(moves.answered(AUTHORIZATION, "Bearer wrong-4")).isEqualTo(401);
        moves.assertHeld(AUTHORIZATION, "Bearer wrong-5");
        assertThat(moves.answered(AUTHORIZATION, FleetToken.BEARER)).as("the right token while a refusal is held")
                .isEqualTo(200);
    }
}
