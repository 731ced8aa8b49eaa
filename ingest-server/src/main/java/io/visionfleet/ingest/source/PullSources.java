package io.visionfleet.ingest.source;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.ingest.feed.FeedStats;
import io.visionfleet.ingest.feed.Feeds;
import io.visionfleet.ingest.feed.IngestConfig;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The pull sources: those configured in {@code fleet.sources.streams}, and those added at run time. */
@ApplicationScoped
public class PullSources {
    private static final Logger LOG = Logger.getLogger(PullSources.class);
    /** How long shutdown waits, in all, for the sources to release their inputs (within the fleet's 5 s budget). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final ConcurrentMap<String, PullSource> sources = new ConcurrentHashMap<>();
    private final StreamRegistry registry;
    private final Feeds feeds;
    private final SourcesConfig config;
    private final IngestConfig ingestConfig;

    public PullSources(StreamRegistry registry, Feeds feeds, SourcesConfig config, IngestConfig ingestConfig) {
        this.registry = registry;
        this.feeds = feeds;
        this.config = config;
        this.ingestConfig = ingestConfig;
    }

    void onStart(@Observes StartupEvent event) {
        config.streams().forEach((id, source) -> {
            try {
                add(id, source.url());
            } catch (RuntimeException e) {
                LOG.errorf("configured source fleet.sources.streams.%s not started: %s", id, e.getMessage());
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        List<PullSource> stopping = List.copyOf(sources.values());
        stopping.forEach(PullSource::stop);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (PullSource source : stopping) {
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            if (!source.awaitStopped(left)) {
                LOG.warnf("source of stream %s still busy after %s; its daemon thread ends with the JVM",
                        source.stream().id(), STOP_WAIT);
            }
        }
    }

    /**
     * Starts pulling {@code url} into a new stream {@code id}.
     *
     * @throws IllegalArgumentException when the id or url is not acceptable
     * @throws IllegalStateException    when stream {@code id} is already open
     */
    public PullSource add(String id, String url) {
        SourceUrl source = SourceUrl.parse(url);
        RelayStream stream = registry.open(id, source.redacted());
        FeedStats stats = new FeedStats(source.kind().feedName());
        feeds.put(id, stats);
        PullSource pull = new PullSource(source, stream, stats, config, ingestConfig.maxNalBytes());
        sources.put(id, pull);
        pull.start();
        LOG.infof("pulling %s into stream %s", source.redacted(), id);
        return pull;
    }

    /** Stops the pull source of stream {@code id} and closes the stream; false when no pull source has that id. */
    public boolean remove(String id) {
        PullSource pull = sources.remove(id);
        if (pull == null) {
            return false;
        }
        pull.stop();
        feeds.remove(id, pull.stats());
        registry.close(pull.stream());
        return true;
    }
}
