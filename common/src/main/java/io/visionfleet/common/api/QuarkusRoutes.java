package io.visionfleet.common.api;

/**
 * Who may use the routes Quarkus itself registers under {@code /q} in every service: health for orchestrators' probes
 * and metrics for Prometheus are open ({@code fleet.api.open-paths}); the health UI, which Quarkus adds in dev and test
 * mode only, is a read like any other. None of them changes anything, but they answer every method, and
 * {@link ApiGuard} asks the operator's credential for every method that is not a read. Declarations only: nothing
 * registers routes here; each service's {@code *RouteAccessTest} matches them against what the running service serves.
 */
@Access(value = AccessRole.PUBLIC, path = "/q/health", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.PUBLIC, path = "/q/health/*", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.PUBLIC, path = "/q/metrics", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.PUBLIC, path = "/q/metrics/*", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.VIEWER, path = "/q/health-ui*", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.OPERATOR, path = "/q/*", methods = {"POST", "PUT", "PATCH", "DELETE"})
public final class QuarkusRoutes {
    private QuarkusRoutes() {
    }
}
