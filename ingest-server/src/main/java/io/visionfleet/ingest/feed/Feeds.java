package io.visionfleet.ingest.feed;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The {@link FeedStats} of every open stream, by stream id, for status. */
@ApplicationScoped
public class Feeds {
    private final ConcurrentMap<String, FeedStats> byStream = new ConcurrentHashMap<>();

    public void put(String streamId, FeedStats stats) {
        byStream.put(streamId, stats);
    }

    /** Forgets the stats only if they are still the ones registered, so a reopened stream keeps its own. */
    public void remove(String streamId, FeedStats stats) {
        byStream.remove(streamId, stats);
    }

    public Optional<FeedStats> find(String streamId) {
        return Optional.ofNullable(byStream.get(streamId));
    }
}
