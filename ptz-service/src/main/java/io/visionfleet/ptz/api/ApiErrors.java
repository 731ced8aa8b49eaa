package io.visionfleet.ptz.api;

import io.visionfleet.ptz.driver.PtzException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Maps bad input to 400 and camera failures to 502, each with a JSON {@code error} that says why. */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        LOG.debugf("refused request: %s", e.getMessage());
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response camera(PtzException e) {
        LOG.warnf("camera command failed: %s", e.getMessage());
        return error(Response.Status.BAD_GATEWAY, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadable(com.fasterxml.jackson.core.JsonProcessingException e) {
        return error(Response.Status.BAD_REQUEST, "malformed JSON body: " + e.getOriginalMessage());
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
