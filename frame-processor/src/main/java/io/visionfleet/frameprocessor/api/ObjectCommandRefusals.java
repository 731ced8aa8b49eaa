package io.visionfleet.frameprocessor.api;

import io.visionfleet.common.api.ApiError;
import io.visionfleet.frameprocessor.pipeline.ObjectCommands;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The pipeline's refusals of a command as HTTP: a stream not processed is a 404, one without a frame yet a 409. */
public class ObjectCommandRefusals {
    @ServerExceptionMapper
    public Response unknownStream(ObjectCommands.UnknownStream e) {
        return ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noFrameYet(ObjectCommands.NoFrameYet e) {
        return ApiError.response(Response.Status.CONFLICT, e.getMessage());
    }
}
