package io.visionfleet.ingest.dashboard;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may view and who may steer. Control actions need the configured API token; viewing needs it only when
 * {@code view-requires-token} says so. Tokens are compared in constant time.
 */
@ApplicationScoped
public class ApiAccess {
    private static final Logger LOG = Logger.getLogger(ApiAccess.class);
    private static final String BEARER = "Bearer ";

    private final DashboardConfig config;

    public ApiAccess(DashboardConfig config) {
        this.config = config;
    }

    void warnWhenOpen(@Observes StartupEvent event) {
        if (config.apiToken().isEmpty()) {
            LOG.warn("fleet.dashboard.api-token is not set: anyone who reaches this port may send prompts and PTZ "
                    + "commands through /api; set it (FLEET_DASHBOARD_API_TOKEN) outside a laptop");
        }
    }

    /** Whether a control action carrying these credentials (any may be null) is allowed. */
    public boolean mayControl(String authorization, String apiTokenHeader) {
        return config.apiToken().isEmpty() || matches(presented(authorization, apiTokenHeader));
    }

    /** Whether viewing with these credentials (header or {@code ?token=}; any may be null) is allowed. */
    public boolean mayView(String authorization, String apiTokenHeader, String queryToken) {
        if (!config.viewRequiresToken() || config.apiToken().isEmpty()) {
            return true;
        }
        String token = presented(authorization, apiTokenHeader);
        return matches(token != null ? token : queryToken);
    }

    private static String presented(String authorization, String apiTokenHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        return apiTokenHeader;
    }

    private boolean matches(String token) {
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                config.apiToken().orElseThrow().getBytes(StandardCharsets.UTF_8));
    }
}
