package io.visionfleet.ingest.videoauth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code video-access}: how publishing and reading video are guarded (the users and what they may
 * do, or loopback only); never shows a password. (A placeholder password stops ingest-server at start-up instead.)
 */
@Readiness
@ApplicationScoped
public class VideoAccessHealthCheck implements HealthCheck {
    private final VideoAccess access;

    public VideoAccessHealthCheck(VideoAccess access) {
        this.access = access;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder check = HealthCheckResponse.named("video-access");
        if (!access.configured()) {
            return check.up().withData("mode", "loopback only: no fleet.video-auth.credentials").build();
        }
        return check.up().withData("mode", "credentials").withData("users", String.join("; ", access.users()))
                .withData("rtsp_schemes", access.rtspSchemes().toString().toLowerCase()).build();
    }
}
