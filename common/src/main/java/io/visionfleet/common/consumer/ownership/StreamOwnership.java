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
 * claim interval it claims unowned ones through {@link Leases} until it holds its share, capped by {@code max-streams};
 * a replica above its share (because another one joined, or its capacity fell) hands one stream on per round, unless
 * its best capacity of the last {@link StreamCapacity#STABILIZATION} gives it a share that holds its streams, or one
 * stream less while they keep {@link #KEPT_RATE} of their rate: capacities measured from load wander by a stream with
 * the pictures' content and with the streams a replica holds, and dip for a while with the work beside it, and shares
 * that followed them would pass a stream back and forth, each move costing its tracks and a wait for a key frame. The
 * share follows capacity: each replica advertises how many streams it carries at full rate ({@link StreamCapacity},
 * from its measured load) and takes {@code ceil(known * its capacity / the group's capacity)}, so a replica that is
 * over capacity hands streams to one that is not, and adding a replica adds capacity. Until a replica has measured its
 * load it advertises the mean of the others (1 when none has measured), which makes the share {@code ceil(known /
 * replicas)}: the fair share by count. A stream is followed only after its lease is held and unfollowed before the
 * lease is given up, so two replicas process one stream at once only while a cut-off replica has not yet noticed that
 * its leases expired (at most the lease period, about twice the heartbeat). When a replica dies the broker drops its
 * leases at once (or after the lease period when it hangs), and the others claim its streams on their next round.
 *
 * <p>All state is confined to one thread; {@link #view()} publishes a snapshot for health and status.
 */
public final class StreamOwnership implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamOwnership.class);
    /** The share of their input rate a replica's streams keep when it holds up to capacity / this many streams. */
    static final double KEPT_RATE = 0.9;

    private final OwnershipSettings settings;
    private final RtspConsumer<?> consumer;
    private final Set<String> pinned;
    private final Leases leases;
    private final ScheduledExecutorService loop;
    private final SortedSet<String> known = new TreeSet<>();
    private final SortedSet<String> owned = new TreeSet<>();
    private int replicas = 1;
    private final StreamCapacity capacity;
    private int advertised;
    private int groupCapacity = 1;
    private String problem;
    private volatile OwnershipView view;

    /** {@code pinned} streams are known from the start and never forgotten on {@code stream.stopped}. */
    public StreamOwnership(OwnershipSettings settings, BusConfig bus, RtspConsumer<?> consumer, Set<String> pinned) {
        this.settings = settings;
        this.consumer = consumer;
        this.pinned = Set.copyOf(pinned);
        this.leases = new Leases(bus, settings, this::leasesLost);
        this.capacity = new StreamCapacity(settings.warmUp());
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
                        handOver(streamId, "the relay ended it");
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
            advertised = 0;
            replicas = Math.max(1, leases.replicas());
            advertiseCapacity();
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
                advertised = 0;
            }
            replicas = Math.max(1, leases.replicas());
            advertiseCapacity();
            int limit = limit();
            if (owned.size() > limit && !keeps()) {
                // one per round: the replicas below their share pick it up in turn
                handOver(owned.last(), String.format("it held %d, its share is %d (capacity %d of the group's %d)",
                        owned.size(), limit, advertised, groupCapacity));
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
     * Advertises this replica's capacity (measured, else the others' mean), never more than it may hold, so that a
     * capped replica's share does not leave streams to nobody; and reads the group's.
     */
    private void advertiseCapacity() throws IOException {
        int most = hardCap();
        int mine = capacity.update(owned.size(), consumer.load().orElse(0.0), most, System.nanoTime());
        if (mine < 0) {
            int others = leases.groupCapacity() - advertised;
            mine = replicas > 1 && others > 0 ? Math.min(most, Math.max(1, Math.round(others / (replicas - 1f)))) : 1;
        }
        leases.advertiseCapacity(mine);
        advertised = mine;
        groupCapacity = Math.max(mine, leases.groupCapacity());
    }

    /**
     * This replica's share of the known streams by capacity, {@code ceil(known * advertised / group capacity)},
     * capped by {@code max-streams} and by what the consumer may follow at all, so a lease is never taken for a
     * stream the consumer would refuse. The shares add up to at least the known streams, so every stream has a
     * place even when the whole group is over capacity.
     */
    private int limit() {
        return share(advertised, groupCapacity);
    }

    /** {@code ceil(known * mine / group)}, capped by what this replica may hold. */
    private int share(int mine, int group) {
        long share = ((long) known.size() * mine + group - 1) / group;
        return (int) Math.min(share, hardCap());
    }

    /**
     * Whether a replica above its share keeps its streams, by its best measured capacity of the last {@link
     * StreamCapacity#STABILIZATION}: they are within the share that capacity gives it, or one stream above it and
     * keeping at least {@link #KEPT_RATE} of their rate; never past what it may hold. A dip of its capacity moves a
     * stream only once it has lasted the window. The others' shares still hold every stream it does not keep, as all
     * shares add up to at least the known streams.
     */
    private boolean keeps() {
        int n = owned.size();
        int best = capacity.best(System.nanoTime());
        if (best <= 0 || n > hardCap()) {
            return false;
        }
        int steady = share(best, groupCapacity - advertised + best);
        return n <= steady || n == steady + 1 && n * KEPT_RATE <= best;
    }

    /** Most streams this replica may hold: {@code max-streams}, and what the consumer may follow at all. */
    private int hardCap() {
        int followable = consumer.settings().maxFollowed();
        return settings.maxStreams() > 0 ? Math.min(followable, settings.maxStreams()) : followable;
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
    private void handOver(String streamId, String why) throws IOException {
        owned.remove(streamId);
        consumer.unfollow(streamId);
        leases.release(streamId);
        LOG.infof("replica %s released stream %s: %s", settings.replicaId(), streamId, why);
    }

    /**
     * The lease connection closed: every lease is gone, so no stream may keep running here. Unless a round opened a
     * new connection before this runs: that round dropped the lost connection's streams itself, and what is owned now
     * is held on the new one (dropping it would leave those leases held with nobody processing their streams).
     */
    private void leasesLost() {
        try {
            loop.execute(() -> {
                if (leases.isOpen()) {
                    return;
                }
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
        // the client's IOException often carries no message of its own, only its cause's (a channel or connection close)
        String message = e.getClass().getSimpleName() + ": " + (e.getMessage() != null ? e.getMessage() : e.getCause());
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
                limit(), advertised, groupCapacity, List.copyOf(owned), List.copyOf(waiting), problem);
    }
}
