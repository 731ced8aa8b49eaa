package io.visionfleet.ingest.dashboard;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;

/**
 * Who may load the dashboard page, the static files Quarkus serves from {@code META-INF/resources}: anyone, so that
 * the page can ask for a credential (they are in {@code fleet.api.open-paths}); what the page then reads needs one.
 * Declarations only, matched by {@code IngestRouteAccessTest} against the files the running server serves.
 */
@Access(value = AccessRole.PUBLIC, path = "/", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.PUBLIC, path = "/index.html", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.PUBLIC, path = "/style.css", methods = {"GET", "HEAD", "OPTIONS"})
@Access(value = AccessRole.PUBLIC, path = "/js/*", methods = {"GET", "HEAD", "OPTIONS"})
public final class DashboardPage {
    private DashboardPage() {
    }
}
