package io.visionfleet.ptz.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** An API error answered as {@code {"error": message}} with its status. */
public class ApiException extends WebApplicationException {
    public ApiException(Response.Status status, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build());
    }
}
