package io.visionfleet.common.api;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fleet token that is a placeholder ({@code change-me...}) stops the service at start-up: the guard is made when the
 * application starts, and refuses to exist, naming the setting and never its value.
 */
@Tag("quick")
class PlaceholderTest {
    @Test
    void aPlaceholderTokenStopsTheServiceNamingTheSetting() {
        for (String placeholder : List.of("change-me", " Change-Me-token ")) {
            assertThatThrownBy(() -> new ApiGuard(config(placeholder), "ptz-service"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("fleet.api.token (FLEET_API_TOKEN) is a placeholder")
                    .hasMessageNotContaining(placeholder.trim());
        }
    }

    @Test
    void aRealTokenOrNoneStarts() {
        assertThat(new ApiGuard(config("3f9a0c1d"), "ptz-service").state()).isEqualTo(ApiGuard.State.PROTECTED);
        assertThat(new ApiGuard(config(null), "ptz-service").state()).isEqualTo(ApiGuard.State.NO_TOKEN);
        assertThat(Placeholder.is("exchange-me")).isFalse();
    }

    private static ApiAccessConfig config(String token) {
        return new ApiAccessConfig() {
            public Optional<String> token() { return Optional.ofNullable(token); }
            public boolean insecure() { return false; }
            public boolean protectReads() { return false; }
            public List<String> openPaths() { return List.of("/q/health"); }
            public FailureDelay failureDelay() {
                return new FailureDelay() {
                    public int freeFailures() { return 3; }
                    public Duration initial() { return Duration.ofMillis(250); }
                    public Duration max() { return Duration.ofSeconds(5); }
                    public int maxWaiting() { return 8; }
                    public Duration forgetAfter() { return Duration.ofMinutes(15); }
                    public int maxClients() { return 10_000; }
                };
            }
        };
    }
}
