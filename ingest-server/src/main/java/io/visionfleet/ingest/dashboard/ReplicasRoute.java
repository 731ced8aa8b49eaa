package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.bus.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /dashboard/replicas}: every replica of every service behind the dashboard, with the streams it owns and
 * its per-stream states, by the dashboard's name for the service:
 * {@code {"processor":{"service":"frame-processor","replicas":[{"replica":..,"url":..,"owned":[..],"waiting":[..],"streams":[..]}]}}}.
 * A read like any other: open unless {@code fleet.api.protect-reads} ({@code ApiGuard} checks it before this route).
 */
@ApplicationScoped
@Access(value = AccessRole.VIEWER, path = "/dashboard/replicas", methods = "GET")
public class ReplicasRoute {
    private final ReplicaDirectory directory;
    private final Upstreams upstreams;

    public ReplicasRoute(ReplicaDirectory directory, Upstreams upstreams) {
        this.directory = directory;
        this.upstreams = upstreams;
    }

    void register(@Observes Router router) {
        router.get("/dashboard/replicas").handler(this::replicas);
    }

    private void replicas(RoutingContext ctx) {
        Map<String, List<ReplicaDirectory.Replica>> all = directory.replicas();
        Map<String, Object> body = new LinkedHashMap<>();
        upstreams.all().values().stream().sorted(java.util.Comparator.comparing(Upstreams.Upstream::name)).forEach(u -> {
            List<Map<String, Object>> replicas = all.getOrDefault(u.name(), List.of()).stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("replica", r.replica());
                m.put("url", r.base().toString());
                m.put("owned", r.owned());
                m.put("waiting", r.waiting());
                m.put("streams", r.streams());
                return m;
            }).toList();
            body.put(u.name(), Map.of("service", u.service(), "replicas", replicas));
        });
        reply(ctx, body);
    }

    private static void reply(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("Content-Type", "application/json")
                    .end(Json.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
