package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Instances are independent: a test can run two in one JVM. Services make theirs a CDI bean and
 * {@link ConsumerLifecycle} starts and stops it.
 */
public abstract class RtspConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RtspConsumer.class);
    /** Shutdown waits at most this long for the streams' threads, inside the 5 s a container gets after SIGTERM. */
    public static final Duration STOP_GRACE = Duration.ofMillis(4500);

    private final ConsumerSettings settings;
    private final Map<String, StreamWorker> workers = new ConcurrentHashMap<>();
    private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
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
     * @throws IllegalStateException    after {@link #close()}
     */
    public synchronized void follow(String streamId) {
        StreamIds.require(streamId);
        if (closed) {
            throw new IllegalStateException("consumer is closed");
        }
        StreamWorker existing = workers.get(streamId);
        if (existing != null) {
            existing.retryNow();
            return;
        }
        StreamState state = new StreamState(streamId, settings.streamUrl(streamId));
        StreamWorker worker = newWorker(state);
        workers.put(streamId, worker);
        listeners.forEach(l -> l.followed(state));
        LOG.infof("following stream %s at %s", streamId, state.url());
        worker.start();
    }

    /** Stops pulling stream {@code id}; returns at once, its session ends within the I/O timeout. */
    public synchronized boolean unfollow(String streamId) {
        StreamWorker worker = workers.remove(streamId);
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

    public Optional<StreamState> stream(String streamId) {
        return Optional.ofNullable(workers.get(streamId)).map(w -> w.state);
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
     * together, so shutdown takes one I/O timeout however many streams there are.
     */
    @Override
    public void close() {
        List<StreamWorker> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(workers.values());
            workers.clear();
        }
        stopping.forEach(StreamWorker::requestStop);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            for (StreamWorker worker : stopping) {
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
     * A session to stream {@code streamId} opened: {@code format} is its demuxer context, valid until
     * {@link #onDisconnected}, e.g. to start a recorder from its codec parameters. Runs on the grab thread.
     */
    protected void onConnected(String streamId, AVFormatContext format) {
    }

    /** The session opened by {@link #onConnected} ended (the consumer reconnects unless it was stopped). */
    protected void onDisconnected(String streamId) {
    }

    abstract StreamWorker newWorker(StreamState state);
}
