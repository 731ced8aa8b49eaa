package io.visionfleet.common.consumer.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.consumer.RtspConsumer;
import io.visionfleet.common.consumer.ownership.OwnershipView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.Map;

/**
 * {@code GET /ownership}: this replica's {@link OwnershipView}, or 404 when ownership is off. Registered only in
 * services that have a consumer.
 */
@ApplicationScoped
@Access(value = AccessRole.VIEWER, path = "/ownership", methods = "GET")
public class OwnershipRoute {
    void register(@Observes Router router, Instance<RtspConsumer<?>> consumers, ConsumerLifecycle lifecycle) {
        if (!consumers.isResolvable()) {
            return;
        }
        router.get("/ownership").handler(ctx -> lifecycle.ownership().ifPresentOrElse(
                ownership -> reply(ctx, 200, ownership.view()),
                () -> reply(ctx, 404, Map.of("status", 404, "message",
                        "stream ownership is off (fleet.consumer.ownership.enabled=false): this replica pulls every stream"))));
    }

    private static void reply(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(Json.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
