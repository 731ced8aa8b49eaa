package io.visionfleet.storage.record;

import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.retention.DiskSpace;

/** Makes the {@link StreamRecorder} of a stream; the consumer owns each as the stream's session. */
public final class RecorderFactory {
    private final Archive archive;
    private final RecorderSettings settings;
    private final DiskSpace disk;
    private final LatestSnapshots snapshots;

    public RecorderFactory(Archive archive, RecorderSettings settings, DiskSpace disk, LatestSnapshots snapshots) {
        this.archive = archive;
        this.settings = settings;
        this.disk = disk;
        this.snapshots = snapshots;
    }

    public StreamRecorder open(String streamId) {
        return new StreamRecorder(streamId, archive, settings, disk, snapshots);
    }
}
