package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.ArchiveLayout;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Archives the fleet's results as JSON Lines, per stream and segment, keyed by {@code capture_ts}:
 * {@code {root}/{stream}/{day}/{hour}/{segment start}.{kind}.jsonl}, or the hour's start for results outside any
 * segment. Each result exchange feeds a durable named queue, so results published while storage is down wait in
 * the broker.
 *
 * <p>Delivery is at least once and never lost: lines are written as messages arrive, and every
 * {@code flush-interval} the files written are forced to disk ({@code FileChannel.force}, batched) and only then
 * is everything up to the last written message acknowledged ({@code basicAck(multiple)}). A crash before the ack
 * redelivers, which can duplicate lines; readers de-duplicate on {@code capture_ts} if they need to. A message
 * without a valid {@code stream_id} or capture time is logged and acknowledged (dropped): redelivering it would
 * not make it valid.
 */
@ApplicationScoped
public class ResultsArchive {
    private static final Logger LOG = Logger.getLogger(ResultsArchive.class);
    private static final long RESUBSCRIBE_SECONDS = 5;

    private final StorageConfig.Results config;
    private final BusConnection bus;
    private final Archive archive;
    private final JsonLinesFiles files = new JsonLinesFiles();
    private final AtomicLong archived = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private volatile Channel channel;
    private long lastWrittenTag;
    private long lastAckedTag;
    private boolean failed;

    public ResultsArchive(StorageConfig config, BusConnection bus, Archive archive) {
        this.config = config.results();
        this.bus = bus;
        this.archive = archive;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("results archive disabled (fleet.storage.results.enabled=false)");
            return;
        }
        scheduler = DaemonThreads.scheduler("results-archive");
        scheduler.execute(this::subscribeUntilDone);
        long flushMs = config.flushInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
    }

    /** Flushes and acknowledges what was written, then lets go of the queues (they keep what comes next). */
    void onStop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        synchronized (this) {
            flush();
            closeChannel();
            try {
                files.close();
            } catch (IOException e) {
                LOG.errorf("closing result files: %s", e.getMessage());
            }
        }
    }

    /** True once consuming the result queues. */
    public boolean subscribed() {
        Channel ch = channel;
        return ch != null && ch.isOpen();
    }

    public long archived() {
        return archived.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** The queue name of a kind, as declared on the broker. */
    public String queue(ResultKind kind) {
        return config.queuePrefix() + kind.fileName();
    }

    private void subscribeUntilDone() {
        if (!subscribe()) {
            scheduler.schedule(this::subscribeUntilDone, RESUBSCRIBE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Declares and binds the queues, then consumes them without holding this object's lock: deliveries wait for the
     * lock in {@link #handle}, and with a backlog the client's dispatch queue fills up and holds back the broker's
     * replies (consume-ok) on the same connection, so consuming under the lock would deadlock after downtime.
     */
    private boolean subscribe() {
        Channel ch = null;
        try {
            ch = bus.channel();
            ch.basicQos(config.prefetch());
            Map<String, Object> arguments = Map.of("x-max-length", config.queueMaxLength());
            for (ResultKind kind : ResultKind.values()) {
                ch.queueDeclare(queue(kind), true, false, false, arguments);
                ch.queueBind(queue(kind), kind.exchange(), "");
            }
            synchronized (this) {
                channel = ch;
                failed = false;
                lastWrittenTag = 0;
                lastAckedTag = 0;
            }
            for (ResultKind kind : ResultKind.values()) {
                ch.basicConsume(queue(kind), false, (tag, delivery) -> handle(kind, delivery), tag -> { });
            }
            LOG.infof("archiving results from %d durable queues (%s*)", ResultKind.values().length, config.queuePrefix());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot consume the result queues yet: %s", e.getMessage());
            synchronized (this) {
                if (channel == ch) {
                    channel = null;
                }
            }
            close(ch); // unacknowledged deliveries go back to their queues
            return false;
        }
    }

    private synchronized void handle(ResultKind kind, Delivery delivery) {
        if (failed) {
            return; // the channel is being closed: this message goes back to its queue unacknowledged
        }
        long tag = delivery.getEnvelope().getDeliveryTag();
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(delivery.getBody());
        } catch (IOException e) {
            message = null;
        }
        ResultKey key = message == null ? null : ResultKey.of(message).orElse(null);
        if (key == null) {
            reject(kind, delivery.getBody());
            lastWrittenTag = tag;
            return;
        }
        try {
            files.append(fileFor(kind, key), line(message));
            archived.incrementAndGet();
            lastWrittenTag = tag;
        } catch (IOException e) {
            LOG.errorf("archiving a %s result failed (%s); the broker will redeliver it", kind.fileName(), e.getMessage());
            failed();
        }
    }

    /** Forces what was written to disk, then acknowledges it. */
    private synchronized void flush() {
        if (channel == null || failed || lastWrittenTag == lastAckedTag) {
            return;
        }
        try {
            files.forceAll();
            channel.basicAck(lastWrittenTag, true);
            lastAckedTag = lastWrittenTag;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("flushing archived results failed (%s); unacknowledged results will be redelivered", e.getMessage());
            failed();
        }
    }

    /**
     * Gives the unacknowledged messages back (closing the channel requeues them) and subscribes again later. The
     * close runs on the archive's own thread, never on the channel's delivery thread.
     */
    private void failed() {
        failed = true;
        scheduler.execute(() -> {
            synchronized (this) {
                closeChannel();
            }
            scheduler.schedule(this::subscribeUntilDone, RESUBSCRIBE_SECONDS, TimeUnit.SECONDS);
        });
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

    private void reject(ResultKind kind, byte[] body) {
        long count = rejected.incrementAndGet();
        if (count == 1 || count % 1000 == 0) {
            String preview = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            LOG.warnf("dropping a %s message without JSON stream_id and capture_ts (%d dropped so far): %s",
                    kind.fileName(), count, preview);
        }
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        close(ch);
    }

    private static void close(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("closing the results channel: %s", e.getMessage());
            }
        }
    }
}
