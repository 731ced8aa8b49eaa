package io.visionfleet.common.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code api-access}: up with how the API is guarded ({@code control}, {@code reads}), down while
 * no fleet token is configured and {@code fleet.api.insecure} is not set (the control API then answers 503). Never
 * shows the token.
 */
@Readiness
@ApplicationScoped
public class ApiAccessHealthCheck implements HealthCheck {
    private final ApiGuard guard;

    public ApiAccessHealthCheck(ApiGuard guard) {
        this.guard = guard;
    }

    @Override
    public HealthCheckResponse call() {
        return switch (guard.state()) {
            case PROTECTED -> HealthCheckResponse.named("api-access").up()
                    .withData("control", "fleet token required")
                    .withData("reads", !guard.protectsReads() ? "open"
                            : guard.hasViewerToken() ? "viewer or fleet token required" : "fleet token required").build();
            case INSECURE -> HealthCheckResponse.named("api-access").up()
                    .withData("control", "open: fleet.api.insecure=true")
                    .withData("reads", "open").build();
            case NO_TOKEN -> HealthCheckResponse.named("api-access").down()
                    .withData("control", "refused (503)")
                    .withData("reason", "no fleet token configured: set fleet.api.token (FLEET_API_TOKEN) "
                            + "or fleet.api.insecure=true").build();
        };
    }
}
