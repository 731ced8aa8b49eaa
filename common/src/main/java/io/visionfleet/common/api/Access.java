package io.visionfleet.common.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may use an HTTP route or WebSocket endpoint. On a REST resource method or a WebSocket endpoint class it covers
 * that endpoint; on a class that registers Vert.x routes, one per route with the {@code path} (as registered) and
 * {@code methods} it covers. Routes that no class of the service registers (Quarkus's own under {@code /q}, static
 * files) are declared on a class holding only declarations ({@link QuarkusRoutes}). {@link ApiGuard} enforces the roles
 * by method and open paths; each service's {@code *RouteAccessTest} (common's test-jar, {@code RouteAccessContract})
 * lists every route the running service registers and fails for one without a declaration, for a declaration that
 * covers no route, and for a route whose answers do not match its role.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Access.List.class)
public @interface Access {
    AccessRole value();

    /**
     * For a Vert.x route: its path as registered ({@code /streams/:id/overlay.mjpeg}, {@code /api/*}); one ending in
     * {@code *} also covers every registered path it prefixes, where a more specific declaration does not. Empty on REST
     * methods and WebSocket endpoints.
     */
    String path() default "";

    /** For a Vert.x route: the HTTP methods it serves; empty means every method. */
    String[] methods() default {};

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        Access[] value();
    }
}
