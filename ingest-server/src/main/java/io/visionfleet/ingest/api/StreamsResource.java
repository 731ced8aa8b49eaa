package io.visionfleet.ingest.api;

import io.visionfleet.common.api.ApiError;
import io.visionfleet.ingest.source.PullSource;
import io.visionfleet.ingest.source.PullSources;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/**
 * Streams at run time: list them, inspect one, add a pull source ({@code POST /streams
 * {"id":"cam1","url":"rtsp://..."}} or {@code "file:/path.mp4"}) and remove it again.
 */
@Path("/streams")
@Produces(MediaType.APPLICATION_JSON)
public class StreamsResource {
    private final StreamRegistry registry;
    private final PullSources sources;
    private final StreamViews views;

    public StreamsResource(StreamRegistry registry, PullSources sources, StreamViews views) {
        this.registry = registry;
        this.sources = sources;
        this.views = views;
    }

    /** The body of {@code POST /streams}. */
    public record AddStream(String id, String url) {
    }

    @GET
    public List<StreamSummary> list() {
        return views.summaries();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return views.status(id).map(status -> Response.ok(status).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no stream '" + id + "'"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(AddStream body) {
        if (body == null || body.id() == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "body must be {\"id\":\"cam1\",\"url\":\"rtsp://...\"}");
        }
        PullSource source;
        try {
            source = sources.add(body.id(), body.url());
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        }
        return Response.created(URI.create("/streams/" + body.id())).entity(views.summary(source.stream())).build();
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id) {
        if (sources.remove(id)) {
            return Response.noContent().build();
        }
        if (registry.find(id).isPresent()) {
            return ApiError.response(Response.Status.CONFLICT,
                    "stream '" + id + "' is published over a WebSocket; it ends when its publisher disconnects");
        }
        return ApiError.response(Response.Status.NOT_FOUND, "no stream '" + id + "'");
    }
}
