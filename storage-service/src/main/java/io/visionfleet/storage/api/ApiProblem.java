package io.visionfleet.storage.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * A refused request: its status and a message for the caller. The body of every 4xx answer is
 * {@code {"status":400,"message":"..."}}, as in the rest of the fleet.
 */
public final class ApiProblem extends RuntimeException {
    private static final Logger LOG = Logger.getLogger(ApiProblem.class);

    /** The JSON body. */
    public record Body(int status, String message) {
    }

    private final int status;

    private ApiProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    static ApiProblem notFound(String message) {
        return new ApiProblem(404, message);
    }

    static ApiProblem conflict(String message) {
        return new ApiProblem(409, message);
    }

    /** The response, logged in one line: bad input is the caller's problem, not worth a stack trace. */
    Response response() {
        return response(status, getMessage());
    }

    static Response response(int status, String message) {
        LOG.infof("%d: %s", status, message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Body(status, message)).build();
    }
}
