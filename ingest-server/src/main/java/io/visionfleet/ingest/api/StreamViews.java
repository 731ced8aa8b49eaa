package io.visionfleet.ingest.api;

import io.visionfleet.ingest.feed.FeedStats;
import io.visionfleet.ingest.feed.Feeds;
import io.visionfleet.ingest.relay.RelayStats;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Builds the status views of streams from the relay's stats and the feeds' stats. */
@ApplicationScoped
public class StreamViews {
    /** Shown for a stream whose feed registered no stats (it is opening or closing right now). */
    private static final FeedStats NO_FEED = new FeedStats("unknown");

    private final StreamRegistry registry;
    private final Feeds feeds;

    public StreamViews(StreamRegistry registry, Feeds feeds) {
        this.registry = registry;
        this.feeds = feeds;
    }

    public List<StreamSummary> summaries() {
        return registry.all().stream().sorted(Comparator.comparing(RelayStream::id)).map(this::summary).toList();
    }

    public StreamSummary summary(RelayStream stream) {
        RelayStats stats = stream.stats();
        return new StreamSummary(stream.id(), stream.source(), feed(stream).feed(), registry.rtspUrl(stream.id()),
                stats.sourceState(), stats.inputFps(), stats.readers().size());
    }

    public Optional<StreamStatus> status(String id) {
        return registry.find(id).map(stream -> {
            RelayStats stats = stream.stats();
            FeedStats feed = feed(stream);
            return new StreamStatus(stream.id(), stream.source(), feed.feed(), registry.rtspUrl(stream.id()),
                    stats.sourceState(), stats.hasParameterSets(), stats.inputFps(), stats.bitrateBps(),
                    stats.bytesIn(), stats.accessUnitsIn(), stats.lastIdrAgeMs(), stats.readers(),
                    feed.videoConfig(), feed.errors());
        });
    }

    private FeedStats feed(RelayStream stream) {
        return feeds.find(stream.id()).orElse(NO_FEED);
    }
}
