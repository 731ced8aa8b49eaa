package io.visionfleet.busprobe;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.HashMap;
import java.util.Map;

/** The test's handle on the probe: start and stop publishing, and the counts of both ends. */
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    private final SequencedPublisher publisher;
    private final ProbeConsumers consumers;

    public ProbeResource(SequencedPublisher publisher, ProbeConsumers consumers) {
        this.publisher = publisher;
        this.consumers = consumers;
    }

    @POST
    @Path("/start")
    public Map<String, Object> start(@QueryParam("run") String run, @QueryParam("interval-ms") @DefaultValue("20") long intervalMs) {
        publisher.start(run, intervalMs);
        return stats();
    }

    @POST
    @Path("/stop")
    public Map<String, Object> stop() {
        publisher.stop();
        return stats();
    }

    @GET
    @Path("/stats")
    public Map<String, Object> stats() {
        Map<String, Object> stats = new HashMap<>(publisher.stats());
        stats.putAll(consumers.stats());
        return stats;
    }
}
