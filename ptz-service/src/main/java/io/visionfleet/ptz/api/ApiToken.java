package io.visionfleet.ptz.api;

import io.visionfleet.ptz.config.PtzConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The token the control endpoints require, as {@code Authorization: Bearer <token>} or {@code X-Api-Token: <token>}.
 * Without a configured token, control is refused (a camera should never move for anyone who can reach the port).
 */
@ApplicationScoped
public class ApiToken {
    private final PtzConfig config;

    public ApiToken(PtzConfig config) {
        this.config = config;
    }

    /** Throws 401 or 403 unless {@code headers} carry the token; the shared mappers answer it as an {@code ApiError}. */
    public void requireControl(HttpHeaders headers) {
        String token = config.api().token().filter(t -> !t.isBlank()).orElseThrow(() ->
                new ForbiddenException("control is disabled: set fleet.ptz.api.token"));
        String given = presented(headers);
        if (given == null) {
            throw new NotAuthorizedException("missing token: send 'Authorization: Bearer <token>' or 'X-Api-Token: <token>'",
                    "Bearer");
        }
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new NotAuthorizedException("wrong token", "Bearer");
        }
    }

    public void requireRead(HttpHeaders headers) {
        if (!config.api().statusOpen()) {
            requireControl(headers);
        }
    }

    private static String presented(HttpHeaders headers) {
        String bearer = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (bearer != null && bearer.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer.substring(7).trim();
        }
        return headers.getHeaderString("X-Api-Token");
    }
}
