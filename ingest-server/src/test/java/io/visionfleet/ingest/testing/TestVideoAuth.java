package io.visionfleet.ingest.testing;

import io.visionfleet.ingest.videoauth.VideoAccess;
import io.visionfleet.ingest.videoauth.VideoAction;
import io.visionfleet.ingest.videoauth.VideoAuthConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Video credentials for tests that build the relay's or the access check's parts without the application. */
public final class TestVideoAuth {
    public static final String REALM = "vision-fleet";
    private static final List<VideoAuthConfig.Scheme> BOTH = List.of(VideoAuthConfig.Scheme.DIGEST, VideoAuthConfig.Scheme.BASIC);

    record Config(Map<String, Credential> credentials, List<Scheme> rtspSchemes) implements VideoAuthConfig {
        @Override
        public String realm() {
            return REALM;
        }

        @Override
        public Duration nonceLifetime() {
            return Duration.ofSeconds(60);
        }

        @Override
        public Duration failureDelay() {
            return Duration.ofMillis(100);
        }

        @Override
        public Duration maxFailureDelay() {
            return Duration.ofSeconds(2);
        }
    }

    /** A user of the streams matching {@code streams}, allowed {@code actions}. */
    public record User(String user, String password, String streams, List<VideoAction> actions)
            implements VideoAuthConfig.Credential {
    }

    private TestVideoAuth() {
    }

    /** Settings with {@code credentials}, both RTSP schemes offered. */
    public static VideoAuthConfig config(Map<String, VideoAuthConfig.Credential> credentials) {
        return new Config(credentials, BOTH);
    }

    /** One user that may read the streams matching {@code streams}, offered in {@code schemes}. */
    public static VideoAccess reader(String user, String password, String streams, VideoAuthConfig.Scheme... schemes) {
        return new VideoAccess(new Config(Map.of("readers", new User(user, password, streams, List.of(VideoAction.READ))),
                List.of(schemes)), Optional.empty());
    }

    /** No credentials at all: the loopback-only development default. */
    public static VideoAccess none() {
        return new VideoAccess(config(Map.of()), Optional.empty());
    }
}
