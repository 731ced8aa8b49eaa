package io.visionfleet.frameprocessor.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/** The body of every 4xx answer: {@code {"status":404,"message":"..."}}. */
public record ApiError(int status, String message) {
    private static final Logger LOG = Logger.getLogger(ApiError.class);

    /** An error answer, logged once in one line: a bad request is the caller's problem, not worth a stack trace. */
    static Response response(int status, String message) {
        LOG.infof("%d: %s", status, message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(status, message)).build();
    }

    static Response response(Response.Status status, String message) {
        return response(status.getStatusCode(), message);
    }
}
