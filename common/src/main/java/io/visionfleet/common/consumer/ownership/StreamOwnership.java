package io.visionfleet.common.consumer.ownership;

import io.visionfleet.common.bus.BusConfig;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.consumer.RtspConsumer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares a service's streams among its replicas: each stream is processed by exactly one replica of the group.
 *
 * <p>A replica knows the streams pinned in its config and those announced on {@code stream_events_exchange}. Every
 * claim interval it claims unowned ones through {@link Leases} until it holds its fair share, {@code ceil(known /
 * replicas)}, capped by {@code max-streams}; a replica above its share (because another one joined) hands one stream
 * on per round. A stream is followed only after its lease is held and unfollowed before the lease is given up, so
 * two replicas process one stream at once only while a cut-off replica has not yet noticed that its leases expired
 * (at most the lease period, about twice the heartbeat). When a replica dies the broker drops its leases at once
 * (or after the lease period when it hangs), and the others claim its streams on their next round.
 *
 * <p>All state is confined to one thread; {@link #view()} publishes a snapshot for health and status.
 */
public final class StreamOwnership implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamOwnership.class);

    private final OwnershipSettings settings;
    private final RtspConsumer<?> consumer;
    private final Set<String> pinned;
    private final Leases leases;
    private final ScheduledExecutorService loop;
    private final SortedSet<String> known = new TreeSet<>();
    private final SortedSet<String> owned = new TreeSet<>();
    private int replicas = 1;
    private String problem;
    private volatile OwnershipView view;

    /** {@code pinned} streams are known from the start and never forgotten on {@code stream.stopped}. */
    public StreamOwnership(OwnershipSettings settings, BusConfig bus, RtspConsumer<?> consumer, Set<String> pinned) {
        this.settings = settings;
        this.consumer = consumer;
        this.pinned = Set.copyOf(pinned);
        this.leases = new Leases(bus, settings, this::leasesLost);
        this.known.addAll(pinned);
        this.loop = DaemonThreads.scheduler("stream-ownership");
        publishView();
    }

    /**
     * Joins the group at once and claims from the next interval on, so that replicas started together count each
     * other before they claim instead of one taking every stream and handing them on.
     */
    public void start() {
        loop.execute(this::join);
        long interval = settings.claimInterval().toMillis();
        loop.scheduleWithFixedDelay(this::round, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** A stream announced by the relay: claimed now if this replica is below its share, else known for later. */
    public void started(String streamId) {
        loop.execute(() -> {
            if (known.add(streamId)) {
                round();
            } else if (owned.contains(streamId)) {
                consumer.follow(streamId); // reconnects at once instead of waiting out its back-off
            }
        });
    }

    /** A stream the relay ended: forgotten (unless pinned), and its lease given up if this replica owns it. */
    public void stopped(String streamId) {
        loop.execute(() -> {
            if (!pinned.contains(streamId) && known.remove(streamId)) {
                try {
                    if (owned.contains(streamId)) {
                        handOver(streamId);
                    }
                } catch (IOException | RuntimeException e) {
                    report(e); // the lease goes with the connection, which is failing anyway
                }
                publishView();
            }
        });
    }

    public OwnershipSettings settings() {
        return settings;
    }

    /** Who owns what, as of the last round. */
    public OwnershipView view() {
        return view;
    }

    /** Stops claiming, stops the owned streams and then gives their leases up, for the other replicas to take. */
    @Override
    public void close() {
        loop.shutdownNow();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("stream ownership loop did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        owned.forEach(consumer::unfollow);
        owned.clear();
        leases.close();
    }

    private void join() {
        try {
            leases.open();
            replicas = Math.max(1, leases.replicas());
            problem = null;
        } catch (IOException | RuntimeException e) {
            report(e);
        }
        publishView();
    }

    private void round() {
        try {
            if (!leases.isOpen()) {
                dropAll();
                leases.open();
            }
            replicas = Math.max(1, leases.replicas());
            int limit = limit();
            if (owned.size() > limit) {
                handOver(owned.last()); // one per round: the replicas below their share pick it up in turn
            } else {
                claimUpTo(limit);
            }
            problem = null;
        } catch (IOException | RuntimeException e) {
            report(e);
        }
        publishView();
    }

    /**
     * The fair share, {@code ceil(known / replicas)}, capped by {@code max-streams} and by what the consumer may
     * follow at all, so a lease is never taken for a stream the consumer would refuse.
     */
    private int limit() {
        int share = Math.min((known.size() + replicas - 1) / replicas, consumer.settings().maxFollowed());
        return settings.maxStreams() > 0 ? Math.min(share, settings.maxStreams()) : share;
    }

    private void claimUpTo(int limit) throws IOException {
        for (String id : List.copyOf(known)) {
            if (owned.size() >= limit) {
                return;
            }
            if (!owned.contains(id) && leases.tryClaim(id)) {
                owned.add(id);
                consumer.follow(id);
                LOG.infof("replica %s owns stream %s (%d of at most %d here, %d replicas)",
                        settings.replicaId(), id, owned.size(), limit, replicas);
            }
        }
    }

    /** Stops processing the stream first, then gives its lease up, so it never runs here and elsewhere at once. */
    private void handOver(String streamId) throws IOException {
        owned.remove(streamId);
        consumer.unfollow(streamId);
        leases.release(streamId);
        LOG.infof("replica %s released stream %s", settings.replicaId(), streamId);
    }

    /** The lease connection closed: every lease is gone, so no stream may keep running here. */
    private void leasesLost() {
        try {
            loop.execute(() -> {
                dropAll();
                publishView();
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("lease connection lost during shutdown");
        }
    }

    private void dropAll() {
        for (String id : owned) {
            consumer.unfollow(id);
        }
        if (!owned.isEmpty()) {
            LOG.warnf("replica %s stopped %s: its leases are gone", settings.replicaId(), owned);
        }
        owned.clear();
    }

    private void report(Exception e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!message.equals(problem)) {
            LOG.warnf("stream ownership of %s: %s (retrying every %d ms)", settings.replicaId(), message,
                    settings.claimInterval().toMillis());
        }
        problem = message;
    }

    private void publishView() {
        List<String> waiting = new ArrayList<>(known);
        waiting.removeAll(owned);
        view = new OwnershipView(settings.group(), settings.replicaId(), leases.isOpen(), replicas, settings.maxStreams(),
                limit(), List.copyOf(owned), List.copyOf(waiting), problem);
    }
}
