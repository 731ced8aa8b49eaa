package io.visionfleet.ptz.api;

import io.visionfleet.common.api.ApiError;
import io.visionfleet.ptz.driver.PtzException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A camera that failed a command is a bad gateway: this service is fine, the device behind it is not. */
public class CameraFailures {
    @ServerExceptionMapper
    public Response camera(PtzException e) {
        return ApiError.response(Response.Status.BAD_GATEWAY, e.getMessage());
    }
}
