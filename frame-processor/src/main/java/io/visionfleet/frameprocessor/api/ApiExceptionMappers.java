package io.visionfleet.frameprocessor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.visionfleet.frameprocessor.pipeline.ObjectCommands;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps refusals, and errors raised before a resource method runs (unparsable JSON), to {@link ApiError} bodies. */
public class ApiExceptionMappers {
    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownStream(ObjectCommands.UnknownStream e) {
        return ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noFrameYet(ObjectCommands.NoFrameYet e) {
        return ApiError.response(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, "invalid JSON body: " + e.getOriginalMessage());
    }

    /** JSON of the wrong shape; more specific than Quarkus's own mapper for it. */
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
