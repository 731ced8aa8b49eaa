package io.visionfleet.common.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.visionfleet.common.concurrent.DaemonThreads;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes message records as JSON to fanout exchanges without ever making the caller wait for the broker:
 * {@link #publish} serialises the message into a bounded {@link Outbox}, and one sender thread publishes it, oldest
 * first, in batches at least the outbox's {@code linger} apart, on a channel in confirm mode. A batch counts as sent
 * only once the broker confirmed it; a batch the broker did not confirm goes back to the head of the outbox and is sent
 * again, after reconnecting when the broker went away and a second later when it refused (nacked) a message, so a
 * message may arrive twice but is not lost while the outbox bounds allow (the archive de-duplicates). Messages to the
 * archived exchanges ({@link Exchanges#ARCHIVED}) are persistent, so those waiting in storage's durable queues survive
 * a broker restart.
 *
 * <p>Meters: {@code fleet_bus_messages_total{exchange, outcome=enqueued|confirmed}}, {@code
 * fleet_bus_outbox_dropped_total{reason=full|expired}}, {@code fleet_bus_outbox_messages}, {@code
 * fleet_bus_outbox_bytes}.
 */
@ApplicationScoped
public class BusPublisher {
    private static final Logger LOG = Logger.getLogger(BusPublisher.class);
    private static final int BATCH = 256;
    /** Longest wait of the sender for a message or a connection, so it notices a stop and reports drops. */
    private static final Duration POLL = Duration.ofSeconds(1);
    /** How long a stopping service keeps sending what its outbox holds. */
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final AMQP.BasicProperties TRANSIENT = properties(1);
    private static final AMQP.BasicProperties PERSISTENT = properties(2);

    private final BusConnection bus;
    private final Duration confirmTimeout;
    private final Outbox outbox;
    private final DropReport drops;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> enqueued = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> confirmed = new ConcurrentHashMap<>();
    private final Thread sender;
    private volatile boolean stopped;
    private Channel channel;
    /** Batches the broker refused in a row; sender thread only. */
    private long refusedBatches;

    public BusPublisher(BusConnection bus, BusConfig config, MeterRegistry registry) {
        this.bus = bus;
        this.registry = registry;
        BusConfig.OutboxConfig limits = config.outbox();
        this.confirmTimeout = limits.confirmTimeout();
        this.outbox = new Outbox(limits.maxMessages(), limits.maxBytes(), limits.maxAge(), limits.linger(),
                System::nanoTime);
        this.drops = new DropReport(outbox, limits.maxMessages(), limits.maxAge());
        Exchanges.ALL.forEach(exchange -> {
            counter(enqueued, exchange, "enqueued");
            counter(confirmed, exchange, "confirmed");
        });
        FunctionCounter.builder("fleet.bus.outbox.dropped", outbox, Outbox::droppedFull).tag("reason", "full")
                .description("Messages dropped because the outbox was full").register(registry);
        FunctionCounter.builder("fleet.bus.outbox.dropped", outbox, Outbox::droppedExpired).tag("reason", "expired")
                .description("Messages dropped because they waited longer than the outbox's max-age").register(registry);
        Gauge.builder("fleet.bus.outbox.messages", outbox, Outbox::size)
                .description("Messages waiting to be sent or confirmed").register(registry);
        Gauge.builder("fleet.bus.outbox.bytes", outbox, Outbox::bytes).baseUnit("bytes")
                .description("Bytes of message bodies waiting to be sent").register(registry);
        sender = DaemonThreads.thread("bus-publisher", this::sendLoop);
        sender.start();
    }

    /**
     * Serialises {@code message} and queues it for {@code exchange}, with the id of the stream it is about as routing
     * key: the fanout exchanges ignore it, and an exchange bound behind one (topic, consistent hash) routes by it.
     * Never waits for the broker. Returns false only once the service is stopping, when nothing is sent any more.
     */
    public boolean publish(String exchange, String streamId, Object message) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message not serialisable: " + message.getClass(), e);
        }
        if (stopped) {
            return false;
        }
        counter(enqueued, exchange, "enqueued").incrementAndGet();
        outbox.add(exchange, streamId, body);
        return true;
    }

    /** Messages waiting in the outbox, not yet confirmed by the broker. */
    public int pending() {
        return outbox.size();
    }

    /** Messages the outbox dropped, full or expired. */
    public long dropped() {
        return outbox.droppedFull() + outbox.droppedExpired();
    }

    /** Sends what the outbox holds for a few seconds more, then stops; before the connection closes. */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) throws InterruptedException {
        if (bus.isOpen()) {
            outbox.awaitEmpty(DRAIN);
        }
        stopped = true;
        sender.interrupt();
        sender.join(DRAIN.toMillis());
        drops.check();
        if (outbox.size() > 0) {
            LOG.warnf("stopping with %d messages unsent (broker %s)", outbox.size(), bus.isOpen() ? "slow" : "unreachable");
        }
    }

    private void sendLoop() {
        while (!stopped) {
            try {
                drops.check();
                List<Outbox.Message> batch = outbox.take(BATCH, POLL);
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Publishes {@code batch} and waits for its confirms; puts it back if the broker did not confirm it all. A batch the
     * broker refused (nacked: a queue full under {@code reject-publish}, or one it could not reach) goes again on the
     * same channel after a pause: the broker would refuse it again at once, and the sender would spin.
     */
    private void send(List<Outbox.Message> batch) throws InterruptedException {
        boolean confirmedAll;
        try {
            Channel ch = confirmChannel();
            for (Outbox.Message m : batch) {
                ch.basicPublish(m.exchange(), m.routingKey(), properties(m.exchange()), m.body());
            }
            confirmedAll = awaitConfirms(ch, batch.size());
        } catch (IOException | RuntimeException e) {
            outbox.putBack(batch);
            closeChannel();
            LOG.debugf("publishing %d messages failed (%s); they wait in the outbox", batch.size(), BusConnection.reason(e));
            bus.awaitOpen(POLL); // returns at once while the connection is open: the channel alone failed
            return;
        }
        if (!confirmedAll) {
            outbox.putBack(batch);
            if (refusedBatches++ == 0) {
                LOG.warnf("the broker refused part of %d messages (a queue full under reject-publish? one it cannot"
                        + " reach?); they wait in the outbox and go again every %d s", batch.size(), POLL.toSeconds());
            }
            Thread.sleep(POLL.toMillis());
            return;
        }
        if (refusedBatches > 0) {
            LOG.infof("the broker took the messages it had refused %d times", refusedBatches);
            refusedBatches = 0;
        }
        outbox.confirmed(batch);
        batch.forEach(m -> counter(confirmed, m.exchange(), "confirmed").incrementAndGet());
    }

    /**
     * Waits for the broker to confirm or nack everything published on {@code ch}; true when it confirmed it all. On
     * an open channel every publish is answered in the end, however long a broker under a memory or disk alarm, or a
     * quorum queue electing a leader, takes: so the wait goes on while the channel is open, said once in the log
     * after {@code confirm-timeout}. Closing the channel to send again on a new one would cost more: the broker, not
     * yet reading (an alarm), finds the new channel's open before the old one's close and closes the whole
     * connection (504 CHANNEL_ERROR), and the batch goes out twice. A broker gone away ends the wait through the
     * connection's heartbeat.
     */
    private boolean awaitConfirms(Channel ch, int messages) throws InterruptedException {
        long start = System.nanoTime();
        boolean reported = false;
        while (true) {
            try {
                boolean confirmed = ch.waitForConfirms(confirmTimeout.toMillis());
                if (reported) {
                    LOG.infof("the broker answered the %d messages after %d s", messages,
                            Duration.ofNanos(System.nanoTime() - start).toSeconds());
                }
                return confirmed;
            } catch (TimeoutException e) {
                if (!reported) {
                    reported = true;
                    LOG.warnf("the broker has not confirmed %d messages for %d s (a memory or disk alarm? a queue"
                            + " without its leader?); waiting on, new messages wait in the outbox", messages,
                            confirmTimeout.toSeconds());
                }
            }
        }
    }

    private Channel confirmChannel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = bus.channel();
            channel.confirmSelect();
        }
        return channel;
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("closing the publish channel: %s", e.getMessage());
            }
        }
    }

    private static AMQP.BasicProperties properties(String exchange) {
        return Exchanges.ARCHIVED.contains(exchange) ? PERSISTENT : TRANSIENT;
    }

    private static AMQP.BasicProperties properties(int deliveryMode) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(deliveryMode).build();
    }

    /** The counter of {@code exchange} in {@code counters}, registered on first use. */
    private AtomicLong counter(Map<String, AtomicLong> counters, String exchange, String outcome) {
        return counters.computeIfAbsent(exchange, e -> {
            AtomicLong count = new AtomicLong();
            FunctionCounter.builder("fleet.bus.messages", count, AtomicLong::get).tag("exchange", e)
                    .tag("outcome", outcome).description("Messages published: enqueued by the service, confirmed by the broker")
                    .register(registry);
            return count;
        });
    }
}
