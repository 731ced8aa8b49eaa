package io.visionfleet.storage.health;

import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.results.ResultsArchive;
import io.visionfleet.storage.retention.DiskSpace;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Ready while the archive root is writable, free space allows recording and results can be written; reports free
 * space, why recording is paused ({@code recording_paused}, while it is), why results are not being archived
 * ({@code results_failing}, while they are not: they wait unacknowledged in the broker) and the results archive.
 */
@Readiness
@ApplicationScoped
public class ArchiveHealthCheck implements HealthCheck {
    private final Archive archive;
    private final DiskSpace disk;
    private final ResultsArchive results;

    public ArchiveHealthCheck(Archive archive, DiskSpace disk, ResultsArchive results) {
        this.archive = archive;
        this.disk = disk;
        this.results = results;
    }

    @Override
    public HealthCheckResponse call() {
        boolean writable = Files.isWritable(archive.layout().root());
        long free;
        try {
            free = disk.usable();
        } catch (IOException e) {
            free = -1;
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("archive")
                .status(writable && disk.recordingAllowed() && results.failure().isEmpty())
                .withData("root", archive.layout().root().toString())
                .withData("writable", writable)
                .withData("free_bytes", free)
                .withData("min_free_bytes", disk.minFreeBytes())
                .withData("recording_allowed", disk.recordingAllowed())
                .withData("results_subscribed", results.subscribed())
                .withData("results_archived", results.archived())
                .withData("results_duplicates_skipped", results.duplicates())
                .withData("results_rejected", results.rejected());
        disk.pausedBecause().ifPresent(why -> response.withData("recording_paused", why));
        results.failure().ifPresent(why -> response.withData("results_failing", why));
        return response.build();
    }
}
