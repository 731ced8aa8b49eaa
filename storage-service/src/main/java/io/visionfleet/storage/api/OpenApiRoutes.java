package io.visionfleet.storage.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;

/**
 * Who may read the archive API's description, which SmallRye OpenAPI serves under {@code /q} (the Swagger UI in dev
 * and test mode only): a read like any other. Other methods are covered by common's
 * {@link io.visionfleet.common.api.QuarkusRoutes}. Declarations only, matched by {@code StorageRouteAccessTest}.
 */
@Access(value = AccessRole.VIEWER, path = "/q/openapi*", methods = {"GET", "HEAD", "OPTIONS"}) // .json, .yaml, .yml too
@Access(value = AccessRole.VIEWER, path = "/q/swagger-ui*", methods = {"GET", "HEAD", "OPTIONS"})
public final class OpenApiRoutes {
    private OpenApiRoutes() {
    }
}
