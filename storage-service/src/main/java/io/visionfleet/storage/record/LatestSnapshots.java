package io.visionfleet.storage.record;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The newest JPEG snapshot of each stream, served by {@code GET /streams/{id}/snapshot.jpg} without disk reads. */
@ApplicationScoped
public class LatestSnapshots {
    /** A snapshot and the capture time of its picture. */
    public record Snapshot(long captureTs, byte[] jpeg) {
    }

    private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();

    void put(String streamId, long captureTs, byte[] jpeg) {
        latest.put(streamId, new Snapshot(captureTs, jpeg));
    }

    public Optional<Snapshot> get(String streamId) {
        return Optional.ofNullable(latest.get(streamId));
    }
}
