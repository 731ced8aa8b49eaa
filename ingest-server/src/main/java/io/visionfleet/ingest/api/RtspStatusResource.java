package io.visionfleet.ingest.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.ingest.feed.IngestConfig;
import io.visionfleet.ingest.relay.RelayStats;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.relay.RtspServer;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.List;

/** {@code GET /rtsp/status}: the relay at a glance, as the original drone server reported it, plus every stream. */
@Path("/rtsp/status")
@Produces(MediaType.APPLICATION_JSON)
public class RtspStatusResource {
    private final RtspServer server;
    private final StreamRegistry registry;
    private final StreamViews views;
    private final IngestConfig config;

    public RtspStatusResource(RtspServer server, StreamRegistry registry, StreamViews views, IngestConfig config) {
        this.server = server;
        this.registry = registry;
        this.views = views;
        this.config = config;
    }

    @Access(AccessRole.VIEWER)
    @GET
    public RtspStatus status() {
        List<RelayStream> streams = registry.all().stream().sorted(Comparator.comparing(RelayStream::id)).toList();
        int readers = 0;
        long drops = 0;
        long queued = 0;
        for (RelayStream stream : streams) {
            RelayStats stats = stream.stats();
            readers += stats.readers().size();
            drops += stats.totalDrops();
            queued += stats.totalQueuedBytes();
        }
        return new RtspStatus(server.isRunning(), registry.rtspUrl(config.defaultStreamId()), queued, readers, drops,
                streams.stream().map(views::summary).toList());
    }
}
