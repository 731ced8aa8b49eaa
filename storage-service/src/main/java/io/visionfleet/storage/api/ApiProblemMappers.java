package io.visionfleet.storage.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refusals of the resources, and the framework's own (unknown path, wrong method), as JSON error bodies. */
public class ApiProblemMappers {
    @ServerExceptionMapper
    public Response problem(ApiProblem e) {
        return e.response();
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return e.getResponse();
        }
        return ApiProblem.response(status, e.getMessage() == null ? e.getResponse().getStatusInfo().getReasonPhrase() : e.getMessage());
    }
}
