package io.visionfleet.common.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * The body of every error answer in the fleet: {@code {"status":404,"message":"..."}}. The dashboard shows
 * {@code message} as the reason for a refusal.
 */
public record ApiError(int status, String message) {
    private static final Logger LOG = Logger.getLogger(ApiError.class);

    /** An error answer, logged in one line: a refused request is the caller's problem, not worth a stack trace. */
    public static Response response(int status, String message) {
        return response(Response.status(status), status, message, null);
    }

    public static Response response(Response.Status status, String message) {
        return response(status.getStatusCode(), message);
    }

    /** The answer built on {@code builder} (whose headers it keeps); {@code failure}, when there is one, is logged with its trace. */
    static Response response(Response.ResponseBuilder builder, int status, String message, Throwable failure) {
        if (failure != null) {
            LOG.errorf(failure, "%d: %s", status, message);
        } else if (status >= 500) {
            LOG.warnf("%d: %s", status, message);
        } else {
            LOG.infof("%d: %s", status, message);
        }
        return builder.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(status, message)).build();
    }
}
