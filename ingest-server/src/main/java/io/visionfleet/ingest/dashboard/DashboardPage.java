package io.visionfleet.ingest.dashboard;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;

/**
 * Who may load the dashboard page, the static files Quarkus serves from {@code META-INF/resources}: anyone, so that
 * the page can ask for a credential (they are in {@code fleet.api.open-paths}); what the page then reads needs one.
 * Quarkus serves them to reads only (GET, HEAD, OPTIONS), so the declarations name no methods.
 * Declarations only, matched by {@code IngestRouteAccessTest} against the files the running server serves.
 */
@Access(value = AccessRole.PUBLIC, path = "/")
@Access(value = AccessRole.PUBLIC, path = "/index.html")
@Access(value = AccessRole.PUBLIC, path = "/style.css")
@Access(value = AccessRole.PUBLIC, path = "/js/*")
public final class DashboardPage {
    private DashboardPage() {
    }
}
