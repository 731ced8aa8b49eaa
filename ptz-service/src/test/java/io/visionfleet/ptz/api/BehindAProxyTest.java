package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visionfleet.common.testing.BrokerResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a reverse proxy every caller arrives from the proxy's address. With Quarkus's proxy settings on (docs/
 * security.md) and the proxy trusted, failed token checks are counted per forwarded client: one guesser is slowed
 * down, and another client behind the same proxy is not.
 */
@QuarkusTest
@TestProfile(BehindAProxyTest.TrustedProxy.class)
@WithTestResource(BrokerResource.class)
@Tag("integration")
class BehindAProxyTest {
    private static final long DELAY_MS = 3000;

    public static class TrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                    "fleet.api.failure-delay.free-failures", "2",
                    "fleet.api.failure-delay.initial", DELAY_MS + "ms",
                    "fleet.api.failure-delay.max", DELAY_MS + "ms");
        }
    }

    @Test
    void failuresAreCountedPerForwardedClient() {
        timedMove("203.0.113.5");
        timedMove("203.0.113.5");
        assertThat(timedMove("203.0.113.5")).as("the guesser's third failure waits").isGreaterThanOrEqualTo(DELAY_MS - 50);
        assertThat(timedMove("203.0.113.9")).as("another client behind the same proxy is not slowed").isLessThan(DELAY_MS);
    }

    private static long timedMove(String forwardedFor) {
        long start = System.nanoTime();
        Response response = given().header("Authorization", "Bearer wrong").header("X-Forwarded-For", forwardedFor)
                .contentType("application/json").body("{\"stop\":true}").post("/ptz/sim/move");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(401);
        return ms;
    }
}
