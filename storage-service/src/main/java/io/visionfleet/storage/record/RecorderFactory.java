package io.visionfleet.storage.record;

import io.visionfleet.storage.archive.Archive;

import java.util.function.BooleanSupplier;

/** Makes the {@link StreamRecorder} of a stream; the consumer owns each as the stream's session. */
public final class RecorderFactory {
    private final Archive archive;
    private final RecorderSettings settings;
    private final BooleanSupplier diskOk;
    private final LatestSnapshots snapshots;

    public RecorderFactory(Archive archive, RecorderSettings settings, BooleanSupplier diskOk, LatestSnapshots snapshots) {
        this.archive = archive;
        this.settings = settings;
        this.diskOk = diskOk;
        this.snapshots = snapshots;
    }

    public StreamRecorder open(String streamId) {
        return new StreamRecorder(streamId, archive, settings, diskOk, snapshots);
    }
}
