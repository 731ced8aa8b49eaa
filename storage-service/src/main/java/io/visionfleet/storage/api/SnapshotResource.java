package io.visionfleet.storage.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.storage.record.LatestSnapshots;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /streams/{id}/snapshot.jpg}: the newest snapshot of a stream recorded by this process. */
@Path("/streams/{id}/snapshot.jpg")
@Tag(name = "snapshots")
public class SnapshotResource {
    private final LatestSnapshots snapshots;

    public SnapshotResource(LatestSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Produces("image/jpeg")
    @Operation(summary = "Latest JPEG snapshot; X-Capture-Ts gives the capture time of its picture (epoch ms)")
    @APIResponse(responseCode = "404", description = "No snapshot of this stream yet")
    public Response latest(@PathParam("id") String id) {
        if (!StreamIds.isValid(id)) {
            throw new BadRequestException("invalid stream id: use 1-64 of [A-Za-z0-9_.-], starting with a letter or digit");
        }
        LatestSnapshots.Snapshot snapshot = snapshots.get(id)
                .orElseThrow(() -> new NotFoundException("no snapshot of stream " + id + " yet"));
        return Response.ok(snapshot.jpeg(), "image/jpeg")
                .header("X-Capture-Ts", snapshot.captureTs())
                .header("Cache-Control", "no-store")
                .build();
    }
}
