package io.visionfleet.ingest.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.api.ApiError;
import io.visionfleet.ingest.source.MediaDirectory;
import io.visionfleet.ingest.source.PullSource;
import io.visionfleet.ingest.source.PullSources;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.videoauth.PublishCredentials;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Streams at run time: list them, inspect one, add a pull source ({@code POST /streams
 * {"id":"cam1","url":"rtsp://..."}} or {@code "file:/path.mp4"} under the media directory) and remove it again.
 * Adding and removing need the fleet token ({@link io.visionfleet.common.api.ApiGuard}).
 */
@Path("/streams")
@Produces(MediaType.APPLICATION_JSON)
public class StreamsResource {
    private final StreamRegistry registry;
    private final PullSources sources;
    private final StreamViews views;
    private final MediaDirectory media;
    private final PublishCredentials publish;

    public StreamsResource(StreamRegistry registry, PullSources sources, StreamViews views, MediaDirectory media,
                           PublishCredentials publish) {
        this.registry = registry;
        this.sources = sources;
        this.views = views;
        this.media = media;
        this.publish = publish;
    }

    /** The body of {@code POST /streams}. */
    public record AddStream(String id, String url) {
    }

    @Access(AccessRole.VIEWER)
    @GET
    public List<StreamSummary> list() {
        return views.summaries();
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return views.status(id).map(status -> Response.ok(status).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no stream '" + id + "'"));
    }

    @Access(AccessRole.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(AddStream body, @Context HttpServerRequest request) {
        if (body == null || body.id() == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "body must be {\"id\":\"cam1\",\"url\":\"rtsp://...\"}");
        }
        // the new stream is published by whoever registers it: publish credentials for its id (docs/security.md)
        Optional<Response> refused = publish.refusal(request, body.id());
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            media.check(body.url());
        } catch (MediaDirectory.Refused e) {
            return ApiError.response(Response.Status.FORBIDDEN, e.getMessage());
        }
        PullSource source;
        try {
            source = sources.add(body.id(), body.url());
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        } catch (StreamRegistry.StreamLimitReached e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
        return Response.created(URI.create("/streams/" + body.id())).entity(views.summary(source.stream())).build();
    }

    @Access(AccessRole.OPERATOR)
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
