package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.BusSubscription;
import io.visionfleet.common.bus.DurableQueues;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.consumer.ownership.StreamOwnership;
import io.visionfleet.common.consumer.runtime.ConsumerLifecycle;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.ArchiveLayout;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.config.StorageConfig;
import io.visionfleet.storage.stream.StorageConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Archives the fleet's results as JSON Lines, per stream and segment, keyed by {@code capture_ts}:
 * {@code {root}/{stream}/{day}/{hour}/{segment start}.{kind}.jsonl}, or the hour's start for results outside any
 * segment. Results wait for storage in durable quorum queues ({@link DurableQueues}), so results published while
 * storage is down wait in the broker, on every node of a cluster. They are routed by stream ({@link ArchiveTopology}):
 * a stream's results go to its own queue, which the replica that records the stream consumes
 * ({@link RecordedStreamQueues}), so a stream's results are archived beside its recordings and a replica receives no
 * other stream's; results of a stream nobody records go to the kinds' shared queues, which every replica consumes.
 *
 * <p>Every result is archived exactly once. Lines are written as messages arrive, and every {@code flush-interval}
 * the files written are forced to disk ({@code FileChannel.force}, batched) and only then is everything up to the
 * last written message acknowledged ({@code basicAck(multiple)}) on the channel that delivered it. When that channel
 * is gone (the broker restarted), its unacknowledged messages come again on the next one; so do messages after a
 * crash, and a publisher may resend what the broker did not confirm. Those redeliveries are recognised by their
 * {@link ResultIdentity} in the {@link RecentResults} window (refilled from the files' tails on start) and
 * acknowledged without writing a line. A message without a valid {@code stream_id} or capture time is logged and
 * acknowledged (dropped): redelivering it would not make it valid.
 */
@ApplicationScoped
public class ResultsArchive {
    private static final Logger LOG = Logger.getLogger(ResultsArchive.class);
    private static final Duration RESUBSCRIBE = Duration.ofSeconds(5);
    /** How often a draining stream queue is looked at, to let it go once empty. */
    private static final Duration DRAIN_CHECK = Duration.ofSeconds(1);

    /** The deliveries of one channel: acknowledgements go to it alone, and end with it. */
    private static final class Session {
        final Channel channel;
        long lastWrittenTag;
        long lastAckedTag;
        boolean failed;

        Session(Channel channel) {
            this.channel = channel;
        }
    }

    private final StorageConfig.Results config;
    private final Archive archive;
    private final StorageConsumer consumer;
    private final ConsumerLifecycle lifecycle;
    private final ArchiveTopology topology;
    private RecordedStreamQueues streams;
    private final BusSubscription subscription;
    private final JsonLinesFiles files = new JsonLinesFiles();
    private final RecentResults recent;
    /** Identities written since the last successful force: forgotten if forcing fails, so they are written again. */
    private final List<ResultIdentity> unforced = new ArrayList<>();
    private final AtomicLong archived = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private Session session;
    /** Why the last write or force failed, until a write succeeds again; null while archiving works. */
    private volatile String failure;

    public ResultsArchive(StorageConfig config, BusConnection bus, Archive archive, StorageConsumer consumer,
                          ConsumerLifecycle lifecycle) {
        this.config = config.results();
        this.archive = archive;
        this.consumer = consumer;
        this.lifecycle = lifecycle;
        this.topology = new ArchiveTopology(this.config.queuePrefix(), Map.of("x-max-length", this.config.queueMaxLength()));
        this.recent = new RecentResults(this.config.dedupWindow());
        this.subscription = new BusSubscription("results-archive-subscribe", bus, this::consume);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("results archive disabled (fleet.storage.results.enabled=false)");
            return;
        }
        scheduler = DaemonThreads.scheduler("results-archive");
        streams = new RecordedStreamQueues(topology, scheduler, this::groupStreams);
        streams.remember(archive.index().streams());
        consumer.addListener(streams);
        scheduler.execute(() -> {
            rememberArchivedTail();
            subscription.start(RESUBSCRIBE);
        });
        long flushMs = config.flushInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
        long drainMs = DRAIN_CHECK.toMillis();
        scheduler.scheduleWithFixedDelay(() -> streams.sweep(false), drainMs, drainMs, TimeUnit.MILLISECONDS);
        long sweepMs = config.orphanSweep().toMillis();
        scheduler.scheduleWithFixedDelay(() -> streams.sweep(true), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    /** Flushes and acknowledges what was written, then lets go of the queues (they keep what comes next). */
    void onStop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        synchronized (this) {
            flush();
            session = null;
        }
        subscription.close();
        synchronized (this) {
            try {
                files.close();
            } catch (IOException e) {
                LOG.errorf("closing result files: %s", e.getMessage());
            }
        }
    }

    /** True once consuming the result queues. */
    public boolean subscribed() {
        return subscription.active();
    }

    public long archived() {
        return archived.get();
    }

    /** Redeliveries recognised and acknowledged without writing a line. */
    public long duplicates() {
        return duplicates.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /**
     * Why results cannot be archived now (the last write or force to disk failed, e.g. the disk is full), until one
     * is written again. Meanwhile they stay unacknowledged in the broker's queues and are redelivered.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The shared queue of a kind, as declared on the broker: results of streams that no replica records. */
    public String queue(ResultKind kind) {
        return topology.sharedQueue(kind);
    }

    /** The queue a stream's results are routed to while a replica records the stream. */
    public String streamQueue(String streamId) {
        return topology.streamQueue(streamId);
    }

    /** Streams whose own queue this replica consumes now (those it records, and those it drains). */
    public Collection<String> consumedStreamQueues() {
        return streams == null ? List.of() : streams.consumed();
    }

    /** Streams the replica group knows, as this replica's stream ownership says (none without ownership). */
    private Collection<String> groupStreams() {
        return lifecycle.ownership().map(StreamOwnership::view)
                .map(v -> { List<String> all = new ArrayList<>(v.owned()); all.addAll(v.waiting()); return all; })
                .orElse(List.of());
    }

    private void rememberArchivedTail() {
        try {
            int lines = ArchivedTail.load(archive.layout().root(), config.dedupRescan(), recent);
            LOG.infof("remembered %d recently archived results (%d lines read back) to recognise redeliveries",
                    recent.size(), lines);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("reading recent results back failed (%s): redeliveries of results archived before this start"
                    + " may be written twice", e.getMessage());
        }
    }

    /**
     * Declares and binds the queues, then consumes them without holding this object's lock: deliveries wait for the
     * lock in {@link #handle}, and with a backlog the client's dispatch queue fills up and holds back the broker's
     * replies (consume-ok) on the same connection, so consuming under the lock would deadlock after downtime.
     */
    private void consume(Channel ch) throws IOException {
        ch.basicQos(config.prefetch());
        topology.declare(ch);
        Session s = new Session(ch);
        synchronized (this) {
            session = s;
        }
        for (ResultKind kind : ResultKind.values()) {
            ch.basicConsume(queue(kind), false, (tag, delivery) -> handle(s, kind, delivery), tag -> { });
        }
        // a stream queue holds every kind: the kind is the exchange the result was published to
        streams.attach(ch, (queue, cancelled) -> ch.basicConsume(queue, false, (tag, delivery) -> handle(s,
                ArchiveTopology.kindOf(delivery.getEnvelope().getExchange()).orElse(null), delivery), cancelled));
        LOG.infof("archiving results from the %d shared queues (%s*) and the queues of the streams recorded here",
                ResultKind.values().length, config.queuePrefix());
    }

    /** Archives a delivered result of {@code kind}, null when it came through no result exchange. */
    private synchronized void handle(Session s, ResultKind kind, Delivery delivery) {
        if (s != session || s.failed) {
            return; // its channel is gone or going: the broker redelivers this message on the next one
        }
        long tag = delivery.getEnvelope().getDeliveryTag();
        if (kind == null) {
            reject("a message published to " + delivery.getEnvelope().getExchange() + ", no result exchange",
                    delivery.getBody());
            s.lastWrittenTag = tag;
            return;
        }
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(delivery.getBody());
        } catch (IOException e) {
            message = null;
        }
        ResultKey key = message == null ? null : ResultKey.of(message).orElse(null);
        if (key == null) {
            reject("a " + kind.fileName() + " message without JSON stream_id and capture_ts", delivery.getBody());
            s.lastWrittenTag = tag;
            return;
        }
        try {
            byte[] line = line(message);
            ResultIdentity identity = ResultIdentity.of(kind, key, message, line, line.length - 1);
            if (!recent.add(identity)) {
                duplicates.incrementAndGet();
            } else {
                write(kind, key, line, identity);
            }
            s.lastWrittenTag = tag;
        } catch (IOException e) {
            String why = "writing a " + kind.fileName() + " result failed: " + e.getMessage();
            if (!why.equals(failure)) {
                LOG.errorf("%s; it stays unacknowledged in the broker and is redelivered (logged again only when the"
                        + " reason changes)", why);
            }
            failure = why;
            failed(s);
        }
    }

    private void write(ResultKind kind, ResultKey key, byte[] line, ResultIdentity identity) throws IOException {
        try {
            files.append(fileFor(kind, key), line);
        } catch (IOException e) {
            recent.remove(identity);
            throw e;
        }
        unforced.add(identity);
        archived.incrementAndGet();
        if (failure != null) {
            LOG.infof("archiving results again after: %s", failure);
            failure = null;
        }
    }

    /** Forces what was written to disk, then acknowledges it on the channel that delivered it. */
    private synchronized void flush() {
        Session s = session;
        if (s == null || s.failed || s.lastWrittenTag == s.lastAckedTag) {
            return;
        }
        try {
            files.forceAll();
            unforced.clear();
        } catch (IOException e) {
            LOG.errorf("forcing archived results to disk failed (%s); they will be redelivered and written again",
                    e.getMessage());
            failure = "forcing results to disk failed: " + e.getMessage();
            unforced.forEach(recent::remove);
            unforced.clear();
            failed(s);
            return;
        }
        try {
            s.channel.basicAck(s.lastWrittenTag, true);
            s.lastAckedTag = s.lastWrittenTag;
        } catch (IOException | AlreadyClosedException e) {
            // the broker requeued them when the channel closed; they are on disk, so their redeliveries are skipped
            LOG.infof("results channel closed before its acknowledgement (%s): the broker redelivers, the archive skips",
                    e.getMessage());
            session = null;
        }
    }

    /**
     * Stops taking this channel's deliveries and closes it on the archive's own thread (never the channel's delivery
     * thread), which gives the unacknowledged messages back; the subscription then consumes on a new channel.
     */
    private void failed(Session s) {
        s.failed = true;
        scheduler.execute(() -> subscription.renew(s.channel));
    }

    private Path fileFor(ResultKind kind, ResultKey key) {
        long fileKey = archive.index().segmentCovering(key.streamId(), key.ts())
                .map(SegmentInfo::startTs).orElse(ArchiveLayout.hourOf(key.ts()));
        return archive.layout().results(key.streamId(), fileKey, kind.fileName());
    }

    /** The message as one compact line, whatever the sender's formatting. */
    private static byte[] line(JsonNode message) throws IOException {
        byte[] json = Json.MAPPER.writeValueAsBytes(message);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private void reject(String what, byte[] body) {
        long count = rejected.incrementAndGet();
        if (count == 1 || count % 1000 == 0) {
            String preview = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            LOG.warnf("dropping %s (%d dropped so far): %s", what, count, preview);
        }
    }
}
