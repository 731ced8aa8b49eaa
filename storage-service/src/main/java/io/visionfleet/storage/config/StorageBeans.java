package io.visionfleet.storage.config;

import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.ArchiveLayout;
import io.visionfleet.storage.archive.ArchiveRecovery;
import io.visionfleet.storage.archive.RecordingEvents;
import io.visionfleet.storage.record.LatestSnapshots;
import io.visionfleet.storage.record.RecorderSettings;
import io.visionfleet.storage.record.RecorderFactory;
import io.visionfleet.storage.retention.DiskSpace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Wires the plain archive and recording classes (constructible without CDI in tests) into the application. */
@ApplicationScoped
public class StorageBeans {
    /**
     * The archive, recovered before anyone can use it: the consumer that records into it is created after it, so
     * no stream records until what a crash left behind is closed and indexed.
     */
    @Produces
    @Singleton
    Archive archive(StorageConfig config, RecordingEvents events) {
        Archive archive = new Archive(new ArchiveLayout(config.root()), events::segmentClosed);
        try {
            ArchiveRecovery.recover(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("archive root " + config.root().toAbsolutePath() + " is not usable", e);
        }
        return archive;
    }

    @Produces
    @Singleton
    DiskSpace diskSpace(StorageConfig config, Archive archive) {
        return new DiskSpace(archive.layout().root(), config.retention().minFree().asLongValue());
    }

    @Produces
    @Singleton
    RecorderFactory recorders(Archive archive, StorageConfig config, DiskSpace disk, LatestSnapshots snapshots) {
        return new RecorderFactory(archive, RecorderSettings.of(config), disk, snapshots);
    }
}
