package io.visionfleet.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.http.HttpServerResponse;
import io.visionfleet.common.bus.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * The body of every error answer in the fleet: {@code {"status":404,"message":"..."}}. The dashboard shows
 * {@code message} as the reason for a refusal.
 */
public record ApiError(int status, String message) {
    private static final Logger LOG = Logger.getLogger(ApiError.class);
    /** Messages quote what the caller sent; a 2 MB id must not become a 2 MB answer and log line. */
    static final int MAX_MESSAGE = 500;

    public ApiError {
        message = bounded(message);
    }

    /** {@code message} cut to {@link #MAX_MESSAGE} characters, saying how long it was. */
    public static String bounded(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " characters)";
    }

    /** An error answer, logged in one line: a refused request is the caller's problem, not worth a stack trace. */
    public static Response response(int status, String message) {
        return response(Response.status(status), status, message, null);
    }

    public static Response response(Response.Status status, String message) {
        return response(status.getStatusCode(), message);
    }

    /** The answer built on {@code builder} (whose headers it keeps); {@code failure}, when there is one, is logged with its trace. */
    static Response response(Response.ResponseBuilder builder, int status, String given, Throwable failure) {
        String message = bounded(given);
        log(status, message, failure);
        return builder.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(status, message)).build();
    }

    /** The same answer from a Vert.x route, outside the REST layer, logged the same way. */
    public static void send(HttpServerResponse response, int status, String message) {
        String bounded = bounded(message);
        log(status, bounded, null);
        try {
            response.setStatusCode(status).putHeader("Content-Type", MediaType.APPLICATION_JSON)
                    .end(Json.MAPPER.writeValueAsString(new ApiError(status, bounded)));
        } catch (JsonProcessingException e) {
            response.setStatusCode(status).end();
        }
    }

    private static void log(int status, String message, Throwable failure) {
        if (failure != null) {
            LOG.errorf(failure, "%d: %s", status, message);
        } else if (status >= 500) {
            LOG.warnf("%d: %s", status, message);
        } else {
            LOG.infof("%d: %s", status, message);
        }
    }
}
