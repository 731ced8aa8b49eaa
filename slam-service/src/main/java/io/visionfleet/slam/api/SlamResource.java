package io.visionfleet.slam.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.api.ApiError;
import io.visionfleet.slam.output.PlyWriter;
import io.visionfleet.slam.stream.SlamConsumer;
import io.visionfleet.slam.stream.SlamStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.StringWriter;
import java.util.OptionalInt;

/**
 * Per-stream SLAM results over HTTP: {@code /streams/{id}/trajectory} (TUM text), {@code /streams/{id}/map.ply}
 * (sparse map) and {@code /streams/{id}/slam} (tracking status) of the streams with an open SLAM session; a
 * stopped stream's final results are on disk. Unknown streams and segments are 404s that say what is missing.
 */
@Path("/streams/{id}")
public class SlamResource {
    private final SlamConsumer consumer;

    public SlamResource(SlamConsumer consumer) {
        this.consumer = consumer;
    }

    /** Poses of one map segment (default: the latest) in TUM format: {@code timestamp tx ty tz qx qy qz qw}. */
    @Access(AccessRole.VIEWER)
    @GET
    @Path("trajectory")
    @Produces(MediaType.TEXT_PLAIN)
    public Response trajectory(@PathParam("id") String id, @QueryParam("segment") Integer segment) {
        var slam = consumer.session(id);
        if (slam.isEmpty()) {
            return notFound("no SLAM results for stream '" + id + "'");
        }
        var log = slam.get().trajectory();
        OptionalInt chosen = segment != null ? OptionalInt.of(segment) : log.latestSegment();
        if (chosen.isEmpty()) {
            return notFound("stream '" + id + "' has no tracked pose yet");
        }
        if (!log.segments().contains(chosen.getAsInt())) {
            return notFound("stream '" + id + "' has no poses in map segment " + chosen.getAsInt()
                    + " (segments with poses: " + log.segments() + ")");
        }
        return Response.ok(log.tum(id, chosen.getAsInt()), MediaType.TEXT_PLAIN).build();
    }

    /** Landmarks of every map segment as an ASCII PLY point cloud with a {@code segment} property. */
    @Access(AccessRole.VIEWER)
    @GET
    @Path("map.ply")
    @Produces(MediaType.TEXT_PLAIN)
    public Response map(@PathParam("id") String id) throws IOException {
        var slam = consumer.session(id);
        if (slam.isEmpty()) {
            return notFound("no SLAM results for stream '" + id + "'");
        }
        StringWriter out = new StringWriter();
        PlyWriter.write(out, "vision-fleet slam-service stream " + id, slam.get().clouds());
        return Response.ok(out.toString(), MediaType.TEXT_PLAIN).build();
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("slam")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("id") String id) {
        return consumer.session(id).<Response>map(s -> Response.ok(s.status()).build())
                .orElseGet(() -> notFound("no SLAM results for stream '" + id + "'"));
    }

    private static Response notFound(String message) {
        return ApiError.response(Response.Status.NOT_FOUND, message);
    }
}
