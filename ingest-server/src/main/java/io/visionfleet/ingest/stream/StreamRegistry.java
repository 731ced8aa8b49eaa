package io.visionfleet.ingest.stream;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.messages.StreamEvent;
import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.ingest.relay.RelayConfig;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.relay.RelayStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every stream the relay serves, whatever feeds it (WebSocket, camera, file). A stream is announced on
 * {@code stream_events_exchange} once it can be played, when its first IDR with SPS/PPS is in the relay's GOP cache,
 * not when it opens: a consumer that follows the announcement at once then gets the stream from that IDR instead of
 * a 503 and a back-off. Closing a stream that was announced announces that it stopped.
 */
@ApplicationScoped
public class StreamRegistry implements RelayStreams {
    private static final Logger LOG = Logger.getLogger(StreamRegistry.class);

    private final ConcurrentMap<String, RelayStream> streams = new ConcurrentHashMap<>();
    /**
     * Streams announced as started. Guarded by itself, so that a stream that closes as it becomes playable is
     * announced both as started and as stopped, or neither.
     */
    private final Set<RelayStream> announced = new HashSet<>();
    private final RelayConfig config;
    private final BusPublisher bus;

    public StreamRegistry(RelayConfig config, BusPublisher bus) {
        this.config = config;
        this.bus = bus;
    }

    /**
     * Opens stream {@code id} fed by {@code source} (e.g. {@code websocket}, {@code rtsp://...}, {@code file:...}).
     *
     * @throws IllegalArgumentException when the id is not a valid stream id
     * @throws IllegalStateException    when the stream is already open
     * @throws StreamLimitReached       when {@code max-streams} streams are open
     */
    public synchronized RelayStream open(String id, String source) {
        StreamIds.require(id);
        if (streams.containsKey(id)) {
            throw new IllegalStateException("stream '" + id + "' is already open");
        }
        if (streams.size() >= config.maxStreams()) {
            throw new StreamLimitReached(id, config.maxStreams());
        }
        RelayStream stream = new RelayStream(id, source, config);
        stream.whenPlayable(() -> announceStarted(stream));
        streams.put(id, stream);
        LOG.infof("stream %s opened from %s at %s", id, source, rtspUrl(id));
        return stream;
    }

    @Override
    public Optional<RelayStream> find(String id) {
        return Optional.ofNullable(streams.get(id));
    }

    public Collection<RelayStream> all() {
        return List.copyOf(streams.values());
    }

    /** Closes the stream if this exact instance is still registered; returns false otherwise. */
    public boolean close(RelayStream stream) {
        if (!streams.remove(stream.id(), stream)) {
            return false;
        }
        stream.close();
        LOG.infof("stream %s closed", stream.id());
        synchronized (announced) {
            if (announced.remove(stream)) {
                bus.publish(Exchanges.STREAM_EVENTS, stream.id(),
                        StreamEvent.stopped(stream.id(), rtspUrl(stream.id()), stream.source(), System.currentTimeMillis()));
            }
        }
        return true;
    }

    private void announceStarted(RelayStream stream) {
        synchronized (announced) {
            if (streams.get(stream.id()) != stream) {
                return; // closed meanwhile
            }
            announced.add(stream);
            LOG.infof("stream %s playable: announced", stream.id());
            bus.publish(Exchanges.STREAM_EVENTS, stream.id(),
                    StreamEvent.started(stream.id(), rtspUrl(stream.id()), stream.source(), System.currentTimeMillis()));
        }
    }

    /** Opening one more stream would exceed {@code fleet.relay.max-streams}. */
    public static final class StreamLimitReached extends RuntimeException {
        StreamLimitReached(String id, int limit) {
            super("cannot open stream '" + id + "': the relay already serves " + limit
                    + " streams (fleet.relay.max-streams)");
        }
    }

    public String rtspUrl(String id) {
        return "rtsp://" + config.advertisedHost() + ":" + config.port() + "/" + id;
    }

    /** Announces every playable stream again, first one interval after start; an interval of 0 turns it off. */
    @Scheduled(identity = "stream-announcer", every = "${fleet.relay.announce-interval}",
            delayed = "${fleet.relay.announce-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void announceActive() {
        if (config.announceInterval().isZero()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<RelayStream> playable;
        synchronized (announced) {
            playable = List.copyOf(announced);
        }
        for (RelayStream stream : playable) {
            bus.publish(Exchanges.STREAM_EVENTS, stream.id(), StreamEvent.active(stream.id(), rtspUrl(stream.id()), stream.source(), now));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        all().forEach(this::close);
    }
}
