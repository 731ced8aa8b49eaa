package io.visionfleet.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception a REST request ends with into an {@link ApiError} body, so refusals look the same in every
 * service: those of the resources (a {@link WebApplicationException} keeps its status and message, an
 * {@link IllegalArgumentException} is a 400) and those raised before a resource method runs (unparsable JSON, unknown
 * path, wrong method or media type). Found in each service through common's {@code beans.xml}, which gets the jar
 * indexed.
 */
public class ApiExceptionMappers {
    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, "invalid JSON body: " + e.getOriginalMessage());
    }

    /** JSON of the wrong shape (an array for an object, a string for a number); more specific than Quarkus's own mapper. */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return badJson(e);
    }

    /** More specific than the endpoint-listing page Quarkus maps unknown paths to in dev mode. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return refused(e);
    }

    /** Keeps the status, the message and headers such as {@code Allow} or {@code WWW-Authenticate}; a body already built is kept too. */
    @ServerExceptionMapper
    public Response refused(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        Response given = e.getResponse();
        if (given.hasEntity()) {
            return given;
        }
        String message = e.getMessage() == null ? given.getStatusInfo().getReasonPhrase() : e.getMessage();
        return ApiError.response(Response.fromResponse(given), given.getStatus(), message, null);
    }

    /** A bug or an outage, not the caller's fault: the trace goes to the log, the caller learns only that it failed. */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return ApiError.response(Response.serverError(), 500, "internal error (" + e.getClass().getSimpleName()
                + "); the service log has the details", e);
    }
}
