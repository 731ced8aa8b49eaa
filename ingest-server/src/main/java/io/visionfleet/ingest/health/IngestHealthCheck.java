package io.visionfleet.ingest.health;

import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.relay.RtspServer;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the RTSP relay listens. Each stream's source state is reported as data, but a camera that is
 * down does not make the server unready: the other streams are still served, and the source keeps retrying.
 */
@Readiness
@ApplicationScoped
public class IngestHealthCheck implements HealthCheck {
    private final RtspServer server;
    private final StreamRegistry registry;

    public IngestHealthCheck(RtspServer server, StreamRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ingest")
                .status(server.isRunning())
                .withData("relay", server.isRunning() ? "listening" : "stopped")
                .withData("rtsp_connections", server.connections())
                .withData("streams", registry.all().size());
        for (RelayStream stream : registry.all()) {
            response.withData("stream." + stream.id(), stream.sourceState());
        }
        return response.build();
    }
}
