package io.visionfleet.ingest.relay;

import java.util.Optional;

/** The streams the relay serves, by id. The stream registry above the relay owns them; the relay only looks up. */
public interface RelayStreams {
    Optional<RelayStream> find(String id);
}
