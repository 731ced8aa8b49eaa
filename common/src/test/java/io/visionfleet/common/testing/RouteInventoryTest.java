package io.visionfleet.common.testing;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.testing.RouteInventory.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link RouteInventory} reads a router and declarations, on a plain Vert.x router (no Quarkus; the services'
 * {@code *RouteAccessTest}s read REST resources and WebSocket endpoints). Common's test-jar is a bean archive, so no
 * class here may observe the router or be a resource: it would join every service's test application.
 */
@Tag("quick")
class RouteInventoryTest {
    private final Vertx vertx = Vertx.vertx();
    private final Router router = Router.router(vertx);

    @AfterEach
    void close() {
        vertx.close();
    }

    @Access(value = AccessRole.VIEWER, path = "/things", methods = "GET")
    @Access(value = AccessRole.VIEWER, path = "/things/:id", methods = "GET")
    static class ThingsRoute {
    }

    @Access(value = AccessRole.VIEWER, path = "/elsewhere", methods = "GET")
    static class RegisteredElsewhere {
    }

    @Access(value = AccessRole.PUBLIC, path = "/q/health", methods = {"GET", "HEAD", "OPTIONS"})
    @Access(value = AccessRole.OPERATOR, path = "/q/*")
    @Access(value = AccessRole.PUBLIC, path = "/gone", methods = "GET")
    static final class Holder {
    }

    static class Helper {
        @Access(AccessRole.OPERATOR)
        void helper() {
        }
    }

    private RouteInventory inventory() {
        return RouteInventory.of(router, List.of(ThingsRoute.class, RegisteredElsewhere.class, Helper.class),
                List.of(Holder.class), "/");
    }

    private static Map<String, AccessRole> roles(RouteInventory inventory) {
        return inventory.rows.stream().filter(r -> r.declaration() != null).collect(Collectors.toMap(
                r -> r.method() + " " + r.endpoint().path(), r -> r.declaration().role()));
    }

    @Test
    void declaredRoutesGetTheirRolesAndTheMostSpecificDeclarationWins() {
        router.get("/things").handler(ctx -> ctx.end());
        router.get("/things/:id").handler(ctx -> ctx.end());
        Router q = Router.router(vertx);
        q.route("/health").handler(ctx -> ctx.end());
        router.route("/q/*").subRouter(q);
        router.route().order(-4).handler(ctx -> ctx.next()); // a filter, like the guard

        RouteInventory inventory = inventory();

        assertThat(roles(inventory)).containsEntry("GET /things", AccessRole.VIEWER)
                .containsEntry("GET /things/:id", AccessRole.VIEWER)
                .containsEntry("GET /q/health", AccessRole.PUBLIC).containsEntry("HEAD /q/health", AccessRole.PUBLIC)
                .containsEntry("POST /q/health", AccessRole.OPERATOR).containsEntry("DELETE /q/health", AccessRole.OPERATOR);
        assertThat(inventory.notes).anyMatch(n -> n.startsWith("filter, order -4"))
                .anyMatch(n -> n.contains("RegisteredElsewhere registers none of its declared routes"));
        assertThat(inventory.problems).containsExactlyInAnyOrder(
                "stale: @Access on Helper#helper, which is no REST endpoint method",
                "stale: @Access(PUBLIC, path=\"/gone\", methods=[GET]) on " + Holder.class.getName()
                        + " covers no route this service serves");
    }

    @Test
    void anUndeclaredRouteAndAStaleDeclarationOfARegisteringClassFail() {
        router.get("/things").handler(ctx -> ctx.end());
        router.post("/things").handler(ctx -> ctx.end());
        router.get("/gone").handler(ctx -> ctx.end());
        router.get("/q/health").handler(ctx -> ctx.end());

        RouteInventory inventory = inventory();

        assertThat(inventory.problems).anyMatch(p -> p.startsWith("undeclared: POST /things (VERTX"))
                .anyMatch(p -> p.equals("stale: @Access(VIEWER, path=\"/things/:id\", methods=[GET]) on "
                        + ThingsRoute.class.getName() + " covers no route this service serves"));
        assertThat(inventory.rows).extracting(Row::toString).doesNotContain("GET /gone");
    }

    @Test
    void aRouteWithoutAPathThatIsNoFilterFails() {
        router.route().handler(ctx -> ctx.end());

        assertThat(inventory().problems).anyMatch(p -> p.startsWith("a route without a path (order ") && p.contains("answers every path"));
    }

    @Test
    void aPrefixRouteIsListedWithItsStarAndEveryMethod() {
        router.route("/api/*").handler(ctx -> ctx.end());

        RouteInventory inventory = inventory();

        assertThat(inventory.rows).filteredOn(r -> r.endpoint().path().equals("/api/*")).extracting(Row::method)
                .containsExactlyElementsOf(RouteInventory.EVERY_METHOD);
        assertThat(inventory.problems).filteredOn(p -> p.startsWith("undeclared: ")).hasSize(7)
                .allMatch(p -> p.contains(" /api/* (VERTX"));
    }

    @Test
    void specificityPrefersExactPathsThenLongerPrefixes() {
        assertThat(RouteInventory.specificity("/q/health", "/q/health")).isEqualTo(Integer.MAX_VALUE);
        assertThat(RouteInventory.specificity("/q/health/*", "/q/health/live")).isEqualTo("/q/health/".length());
        assertThat(RouteInventory.specificity("/q/*", "/q/health/live")).isEqualTo("/q/".length());
        assertThat(RouteInventory.specificity("/q/health/*", "/q/health")).isEqualTo(-1);
        assertThat(RouteInventory.specificity("/api/*", "/api/*")).isEqualTo(Integer.MAX_VALUE);
    }
}
