package io.visionfleet.common.consumer.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.ext.web.Router;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.consumer.RtspConsumer;
import io.visionfleet.common.messages.FrameStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.List;

/**
 * {@code GET /streams}: the {@link FrameStats} of every stream the service's consumer follows. Registered on the
 * HTTP router only in services that have a consumer, so ingest-server's own {@code /streams} is untouched.
 */
@ApplicationScoped
@Access(value = AccessRole.VIEWER, path = "/streams", methods = "GET")
public class StreamStatusRoute {
    void register(@Observes Router router, Instance<RtspConsumer<?>> consumers) {
        if (!consumers.isResolvable()) {
            return;
        }
        // the consumer is looked up per request, not now: the router is built before the messaging connector is
        // wired, and a consumer created this early could not have its outgoing channels injected
        router.get("/streams").handler(ctx -> {
            long now = System.currentTimeMillis();
            List<FrameStats> stats = consumers.get().status(now);
            try {
                ctx.response().putHeader("content-type", "application/json").end(Json.MAPPER.writeValueAsString(stats));
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }
}
