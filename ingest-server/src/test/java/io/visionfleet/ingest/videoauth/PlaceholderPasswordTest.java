package io.visionfleet.ingest.videoauth;

import io.visionfleet.ingest.testing.TestVideoAuth;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Placeholder passwords ({@code change-me...}, as earlier compose files and k8s/base shipped them) are known to
 * everyone: an entry holding one stops ingest-server at start-up, naming the entry and never the password.
 */
@Tag("quick")
class PlaceholderPasswordTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void anEntryWithAPlaceholderPasswordStopsTheServerNamingTheEntry() {
        for (String placeholder : List.of("change-me-read", "CHANGE-ME")) {
            assertThatThrownBy(() -> new VideoAccess(TestVideoAuth.config(Map.of(
                    "reader", credential("reader", placeholder), "drone", credential("drone", "s3cret-drone"))), Optional.empty()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("fleet.video-auth.credentials.reader.password is a placeholder")
                    .hasMessageNotContaining(placeholder);
        }
    }

    @Test
    void realPasswordsServe() {
        VideoAccess access = new VideoAccess(TestVideoAuth.config(Map.of("drone", credential("drone", "s3cret-drone"))), Optional.empty());
        assertThat(access.check(VideoAction.READ, "cam", LOOPBACK, "drone", "s3cret-drone").outcome())
                .isEqualTo(VideoAccess.Outcome.ALLOWED);
        HealthCheckResponse health = new VideoAccessHealthCheck(access).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData().orElseThrow()).containsEntry("mode", "credentials")
                .containsEntry("users", "drone: publish,read on *");
    }

    @Test
    void theViewerTokenReadsEveryStreamAsUserViewerAndPublishesNothing() throws Exception {
        VideoAccess access = new VideoAccess(TestVideoAuth.config(Map.of("drone", credential("drone", "s3cret-drone"))),
                Optional.of(" viewer-s3cret "));
        InetAddress remote = InetAddress.getByName("192.0.2.7");
        assertThat(access.check(VideoAction.READ, "any-stream", remote, VideoAccess.VIEWER, "viewer-s3cret").outcome())
                .isEqualTo(VideoAccess.Outcome.ALLOWED);
        assertThat(access.check(VideoAction.PUBLISH, "any-stream", remote, VideoAccess.VIEWER, "viewer-s3cret").outcome())
                .isEqualTo(VideoAccess.Outcome.NOT_PERMITTED);
        assertThat(access.check(VideoAction.READ, "any-stream", remote, VideoAccess.VIEWER, "guess").outcome())
                .isEqualTo(VideoAccess.Outcome.WRONG);
        assertThat(access.users()).contains("viewer: read on *");
    }

    @Test
    void withoutCredentialsReadinessShowsLoopbackOnlyEvenWithAViewerToken() {
        VideoAccess access = new VideoAccess(TestVideoAuth.config(Map.of()), Optional.of("a-viewer-token"));

        HealthCheckResponse health = new VideoAccessHealthCheck(access).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(health.getData().orElseThrow().get("mode").toString()).startsWith("loopback only");
        assertThat(access.check(VideoAction.READ, "cam", LOOPBACK, null, null).allowed()).isTrue();
    }

    private static VideoAuthConfig.Credential credential(String user, String password) {
        return new TestVideoAuth.User(user, password, "*", List.of(VideoAction.PUBLISH, VideoAction.READ));
    }
}
