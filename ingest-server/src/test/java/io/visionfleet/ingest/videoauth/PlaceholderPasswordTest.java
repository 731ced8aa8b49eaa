package io.visionfleet.ingest.videoauth;

import io.visionfleet.ingest.testing.TestVideoAuth;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The placeholder passwords docker-compose.yml and k8s/base ship ({@code change-me-read}, ...) are known to everyone:
 * an entry still holding one is refused, and readiness says so, while real entries keep working.
 */
@Tag("quick")
class PlaceholderPasswordTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void anEntryWithAPlaceholderPasswordIsRefusedAndReadinessIsDown() {
        VideoAccess access = new VideoAccess(TestVideoAuth.config(Map.of(
                "reader", credential("reader", "change-me-read"),
                "drone", credential("drone", "s3cret-drone"))));

        assertThat(access.check(VideoAction.READ, "cam", LOOPBACK, "reader", "change-me-read").outcome())
                .isEqualTo(VideoAccess.Outcome.WRONG);
        assertThat(access.check(VideoAction.READ, "cam", LOOPBACK, "drone", "s3cret-drone").outcome())
                .isEqualTo(VideoAccess.Outcome.ALLOWED);
        assertThat(access.placeholderUsers()).containsExactly("reader");

        HealthCheckResponse health = new VideoAccessHealthCheck(access).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow()).containsEntry("mode", "credentials")
                .containsEntry("users", "drone: publish,read on *");
        assertThat(health.getData().orElseThrow().get("reason").toString()).contains("[reader]")
                .doesNotContain("change-me-read");
    }

    @Test
    void onlyPlaceholdersStillRequireCredentialsEvenOnLoopback() {
        VideoAccess access = new VideoAccess(TestVideoAuth.config(Map.of("reader", credential("reader", "CHANGE-ME"))));

        assertThat(access.check(VideoAction.PUBLISH, "cam", LOOPBACK, null, null).outcome())
                .as("not the loopback-only mode of a server without credentials")
                .isEqualTo(VideoAccess.Outcome.MISSING);
        assertThat(new VideoAccessHealthCheck(access).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void withoutCredentialsReadinessShowsLoopbackOnly() {
        VideoAccess access = new VideoAccess(TestVideoAuth.config(Map.of()));

        HealthCheckResponse health = new VideoAccessHealthCheck(access).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData().orElseThrow().get("mode").toString()).startsWith("loopback only");
        assertThat(access.check(VideoAction.READ, "cam", LOOPBACK, null, null).allowed()).isTrue();
    }

    private static VideoAuthConfig.Credential credential(String user, String password) {
        return new TestVideoAuth.User(user, password, "*", List.of(VideoAction.PUBLISH, VideoAction.READ));
    }
}
