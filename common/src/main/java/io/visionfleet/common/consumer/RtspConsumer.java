package io.visionfleet.common.consumer;

import io.visionfleet.common.messages.FrameStats;
import io.visionfleet.common.stream.StreamIds;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The base of every service that consumes relay streams. It pulls each followed stream on its own threads,
 * reconnects with back-off, stamps every frame with its identity ({@link FrameMeta}) and keeps the state that
 * health, metrics and status report. Extend {@link FrameConsumer} for decoded pictures or {@link PacketConsumer}
 * for undecoded packets.
 *
 * <p>What the service keeps per stream is its {@link StreamSession} of type {@code S}, which this class owns: it is
 * opened by {@link #openSession} on the stream's first delivery (its first connect, or its first frame after the
 * session expired), not on {@link #follow}, so a followed stream that is absent from the relay costs nothing and
 * a stream that comes back after an idle expiry takes the same path as a new one. It is closed exactly once, when
 * the stream is unfollowed, when the consumer closes, or after {@code sessionIdleTimeout} without delivery, never
 * while a callback is using it. Services keep no stream maps of their own: {@link #session} finds a stream's.
 *
 * <p>Instances are independent: a test can run two in one JVM. Services make theirs a CDI bean and
 * {@code ConsumerLifecycle} starts and stops it.
 */
public abstract class RtspConsumer<S extends StreamSession> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RtspConsumer.class);
    /** Shutdown waits at most this long for the streams' threads, inside the 5 s a container gets after SIGTERM. */
    public static final Duration STOP_GRACE = Duration.ofMillis(4500);

    private final ConsumerSettings settings;
    private final Map<String, StreamWorker<S, ?>> workers = new ConcurrentHashMap<>();
    private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
    private SessionExpiry expiry;
    private boolean closed;

    protected RtspConsumer(ConsumerSettings settings) {
        this.settings = settings;
    }

    public ConsumerSettings settings() {
        return settings;
    }

    /**
     * Starts pulling stream {@code id}; when it is pulled already and waiting to reconnect, retries at once.
     *
     * @throws IllegalArgumentException when {@code id} is not a valid stream id
     * @throws FollowLimitReached       when it is a new stream and {@code maxFollowed} streams are followed
     * @throws IllegalStateException    after {@link #close()}
     */
    public synchronized void follow(String streamId) {
        StreamIds.require(streamId);
        if (closed) {
            throw new IllegalStateException("consumer is closed");
        }
        StreamWorker<S, ?> existing = workers.get(streamId);
        if (existing != null) {
            existing.retryNow();
            return;
        }
        if (workers.size() >= settings.maxFollowed()) {
            throw new FollowLimitReached(streamId, settings.maxFollowed());
        }
        if (expiry == null && !settings.sessionIdleTimeout().isZero()) {
            expiry = new SessionExpiry(settings.sessionIdleTimeout(),
                    () -> workers.values().stream().map(w -> w.sessions).toList());
        }
        StreamState state = new StreamState(streamId, settings.streamUrl(streamId));
        StreamWorker<S, ?> worker = newWorker(state);
        workers.put(streamId, worker);
        listeners.forEach(l -> l.followed(state));
        LOG.infof("following stream %s at %s", streamId, state.url());
        worker.start();
    }

    /**
     * Stops pulling stream {@code id}; returns at once. Its RTSP session ends, and its {@link StreamSession} is
     * closed on the stream's own thread, within the I/O timeout.
     */
    public synchronized boolean unfollow(String streamId) {
        StreamWorker<S, ?> worker = workers.remove(streamId);
        if (worker == null) {
            return false;
        }
        worker.requestStop();
        listeners.forEach(l -> l.unfollowed(worker.state));
        LOG.infof("stopped following stream %s", streamId);
        return true;
    }

    /** Every followed stream's state, by stream id. */
    public List<StreamState> streams() {
        List<StreamState> states = new ArrayList<>();
        workers.values().forEach(w -> states.add(w.state));
        states.sort(Comparator.comparing(StreamState::streamId));
        return states;
    }

    /** What {@code GET /streams} serves: every followed stream's state, with its cost and the consumer's load. */
    public List<FrameStats> status(long nowMs) {
        Double load = load().orElse(null);
        return workers.values().stream().sorted(Comparator.comparing(w -> w.state.streamId()))
                .map(w -> w.state.snapshot(nowMs, w.meanCostMs(), load)).toList();
    }

    /**
     * The processing threads the followed streams need, as a share of those the consumer has; above 1 it is over
     * capacity by that factor and skips frames for capacity. Empty where streams are not processed on shared threads.
     */
    public Optional<Double> load() {
        return Optional.empty();
    }

    /** The workers of the followed streams, for subclasses that share threads among them. */
    Collection<StreamWorker<S, ?>> workers() {
        return workers.values();
    }

    public Optional<StreamState> stream(String streamId) {
        return Optional.ofNullable(workers.get(streamId)).map(w -> w.state);
    }

    /**
     * The open session of followed stream {@code id}, for readers on other threads (status, commands): empty
     * before its first delivery, after an idle expiry and once unfollowed. It may be closed while they use it.
     */
    public Optional<S> session(String streamId) {
        return Optional.ofNullable(workers.get(streamId)).flatMap(w -> w.sessions.current());
    }

    /** False when a stream's thread died unexpectedly: the process needs a restart. */
    public boolean threadsAlive() {
        return workers.values().stream().allMatch(StreamWorker::alive);
    }

    /** Registers a listener and tells it about the streams followed so far. */
    public synchronized void addListener(StreamListener listener) {
        listeners.add(listener);
        workers.values().forEach(w -> listener.followed(w.state));
    }

    /**
     * Stops every stream and waits for their threads, at most {@link #STOP_GRACE}. Streams are stopped
     * together, so shutdown takes one I/O timeout however many streams there are. Each stream's thread closes its
     * session as it ends; one that misses the grace closes it when it ends after all.
     */
    @Override
    public void close() {
        List<StreamWorker<S, ?>> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(workers.values());
            workers.clear();
            if (expiry != null) {
                expiry.close();
            }
        }
        stopping.forEach(StreamWorker::requestStop);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            for (StreamWorker<S, ?> worker : stopping) {
                if (!worker.awaitStopped(deadline)) {
                    LOG.warnf("stream %s did not stop within %d ms", worker.state.streamId(), STOP_GRACE.toMillis());
                }
                listeners.forEach(l -> l.unfollowed(worker.state));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Opens the session of {@code stream}, on the thread of its first delivery and outside any
     * {@code PointerScope}: native memory it allocates lives until {@link StreamSession#close()} frees it.
     * An exception counts as a failed frame (or a failed connect); the next delivery tries again.
     */
    protected abstract S openSession(StreamState stream);

    /**
     * An RTSP session to the stream opened: in packet mode {@code format} holds its video stream's parameters (codec,
     * parameter sets, picture size once a key frame arrived, time base), valid until {@link #onDisconnected}, e.g. to
     * start a recorder; null in decoded mode. Runs on the grab thread, with the stream's session (opened for it when
     * none is open).
     */
    protected void onConnected(S session, AVFormatContext format) {
    }

    /**
     * The RTSP session reported by {@link #onConnected} ended; runs only while the stream's session is open.
     *
     * @param stopping true when the stream is no longer followed (or the consumer closes): the session's
     *                 {@link StreamSession#close()} follows; false when the consumer reconnects
     */
    protected void onDisconnected(S session, boolean stopping) {
    }

    abstract StreamWorker<S, ?> newWorker(StreamState state);

    /** Following one more stream would exceed {@code fleet.consumer.max-followed}. */
    public static final class FollowLimitReached extends IllegalStateException {
        public FollowLimitReached(String streamId, int limit) {
            super("cannot follow stream '" + streamId + "': already following " + limit
                    + " streams (fleet.consumer.max-followed)");
        }
    }
}
