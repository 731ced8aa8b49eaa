package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.BrokerResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

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
    public static class TrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(HeldRefusals.config());
            config.putAll(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true", "quarkus.http.proxy.trusted-proxies", "127.0.0.1"));
            return config;
        }
    }

    @TestHTTPResource("/ptz/sim/move")
    URI move;

    @Test
    void failuresAreCountedPerForwardedClient() throws Exception {
        HeldRefusals moves = new HeldRefusals(move);
        assertThat(moves.answered(guess("203.0.113.5"))).isEqualTo(401);
        assertThat(moves.answered(guess("203.0.113.5"))).isEqualTo(401);
        moves.assertHeld(guess("203.0.113.5"));
        assertThat(moves.answered(guess("203.0.113.9"))).as("another client behind the same proxy is not slowed")
                .isEqualTo(401);
    }

    /** A wrong token from {@code client}, as forwarded by the proxy. */
    private static String[] guess(String client) {
        return new String[]{"Authorization", "Bearer wrong", "X-Forwarded-For", client};
    }
}
