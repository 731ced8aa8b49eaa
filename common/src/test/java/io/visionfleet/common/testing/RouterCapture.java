package io.visionfleet.common.testing;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the service's HTTP router for {@link RouteAccessContract}, which lists its routes. A bean of every service's
 * {@code @QuarkusTest} application: common's test-jar is a bean archive ({@code META-INF/beans.xml}) for this class.
 */
@ApplicationScoped
public class RouterCapture {
    private volatile Router router;

    void capture(@Observes Router router) {
        this.router = router;
    }

    /** The router, null before the HTTP server is set up. */
    public Router router() {
        return router;
    }
}
