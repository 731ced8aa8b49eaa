package io.visionfleet.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors raised before a resource method runs (unparsable JSON, unknown path, wrong method or media type) get
 * the same JSON error body as the resources' own refusals, instead of an empty or HTML page.
 */
public class ApiExceptionMappers {
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, "invalid JSON body: " + e.getOriginalMessage());
    }

    /** JSON of the wrong shape (an array for an object, a string for a number); more specific than Quarkus's own mapper. */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return e.getResponse();
        }
        return ApiError.response(status, e.getMessage() == null ? e.getResponse().getStatusInfo().getReasonPhrase() : e.getMessage());
    }
}
