package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A relay that offers only RTSP Basic, as some cameras do: ffmpeg answers with Basic and reads. */
@QuarkusTest
@TestProfile(RelayBasicCredentialsTest.BasicOnly.class)
@Tag("integration")
class RelayBasicCredentialsTest {
    private static final String PASSWORD = "Basic-only-5a0f";

    public static class BasicOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.video-auth.credentials.cam.user", "viewer",
                    "fleet.video-auth.credentials.cam.password", PASSWORD,
                    "fleet.video-auth.rtsp-schemes", "basic");
        }
    }

    @Inject
    TestRelay relay;

    @Test
    void ffmpegReadsWithBasicWhenOnlyBasicIsOffered() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("basic-cam", ReferenceClip.synthetic(320, 240, 30, 15, 30));
             RtspProbe raw = RtspProbe.connect(relay.port())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> fed.stream().hasParameterSets());
            RtspProbe.Response challenge = raw.request("DESCRIBE", relay.url("basic-cam"));
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate")).isEqualTo("Basic realm=\"vision-fleet\"");

            VideoCredentialsTest.Ffmpeg right = VideoCredentialsTest.Ffmpeg.read(
                    UrlCredentials.withLogin(relay.url("basic-cam"), new UrlCredentials.Login("viewer", PASSWORD)), 5);
            assertThat(right.exit()).as(right.log()).isZero();
            assertThat(right.frames()).isEqualTo(5);
            assertThat(right.log()).contains("Authorization: Basic").doesNotContain("Authorization: Digest");

            VideoCredentialsTest.Ffmpeg wrong = VideoCredentialsTest.Ffmpeg.read(
                    UrlCredentials.withLogin(relay.url("basic-cam"), new UrlCredentials.Login("viewer", "x" + PASSWORD)), 5);
            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.log()).contains("401 Unauthorized");
            assertThat(wrong.frames()).isZero();

            VideoCredentialsTest.Ffmpeg missing = VideoCredentialsTest.Ffmpeg.read(relay.url("basic-cam"), 5);
            assertThat(missing.log()).contains("401 Unauthorized");
            assertThat(missing.frames()).isZero();
        }
    }
}
