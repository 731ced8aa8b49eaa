package io.visionfleet.faults;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.impl.AMQConnection;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.BusSubscription;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The raw client's way of acknowledging, which storage's {@code ResultsArchive} uses, through connections closed by
 * the broker, as {@link ConnectorBrokerRestartTest} puts the connector through them: a consumer on a
 * {@link BusSubscription} records each message as it arrives and every 200 ms (the archive's flush interval)
 * acknowledges all it recorded with {@code basicAck(multiple)} on the channel that delivered them, and drops what it
 * holds of a channel that is gone. While a message is published every 20 ms the broker closes the consumer's
 * connection three times; then the consumer stops acknowledging and lets go of its channel, as a crash would, and the
 * broker is asked what it holds.
 * Every message must be either acknowledged by the consumer itself or still held: none taken by a stale tag.
 */
@Tag("integration")
class RawConsumerClosedConnectionTest {
    private static final String RUN = "raw" + System.currentTimeMillis() % 1_000_000;
    private static final String EXCHANGE = "faults.raw_close." + RUN;
    private static final String QUEUE = EXCHANGE;
    private static final int CLOSES = 3;
    private static final Duration FLUSH = Duration.ofMillis(200);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Broker broker = Broker.get();
    private final BusConnection bus = new BusConnection(broker.busConfig(), "test");
    private final FlushingConsumer consumer = new FlushingConsumer();
    private final BusSubscription subscription = new BusSubscription("raw-close-test", bus, consumer::subscribe);
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final AtomicLong published = new AtomicLong();
    private Connection publisher;

    /** The archive's acknowledgement, reduced to sequence numbers: what it wrote and what it acknowledged. */
    private static final class FlushingConsumer {
        /** One channel's deliveries; acknowledged on that channel only. */
        private static final class Session {
            final Channel channel;
            final List<Long> written = new ArrayList<>();
            long lastTag;

            Session(Channel channel) {
                this.channel = channel;
            }
        }

        private final Map<Long, Integer> received = new HashMap<>();
        private final Set<Long> acked = new HashSet<>();
        private long redeliveries;
        private long ackFailures;
        private Session session;
        private boolean crashed;

        void subscribe(Channel ch) throws IOException {
            ch.basicQos(100);
            ch.queueDeclare(QUEUE, true, false, false, null);
            ch.queueBind(QUEUE, EXCHANGE, "");
            Session s = new Session(ch);
            synchronized (this) {
                session = s;
            }
            ch.basicConsume(QUEUE, false, (tag, delivery) -> handle(s, delivery), tag -> { });
        }

        synchronized void handle(Session s, Delivery delivery) {
            if (s != session || crashed) {
                return; // a channel that is gone: the broker redelivers on the next one
            }
            long seq = HeldMessages.seq(delivery.getBody());
            received.merge(seq, 1, Integer::sum);
            if (delivery.getEnvelope().isRedeliver()) {
                redeliveries++;
            }
            s.written.add(seq);
            s.lastTag = delivery.getEnvelope().getDeliveryTag();
        }

        synchronized void flush() {
            Session s = session;
            if (s == null || crashed || s.written.isEmpty()) {
                return;
            }
            try {
                s.channel.basicAck(s.lastTag, true);
                acked.addAll(s.written);
                s.written.clear();
            } catch (IOException | AlreadyClosedException e) {
                ackFailures++;
                session = null;
            }
        }

        synchronized boolean received(long seq) {
            return received.containsKey(seq);
        }

        synchronized int distinct() {
            return received.size();
        }

        /** Stops acknowledging, as a crash would, and returns what it had acknowledged. */
        synchronized Set<Long> crash() {
            crashed = true;
            return new HashSet<>(acked);
        }
    }

    @BeforeEach
    void start() throws IOException, TimeoutException {
        BrokerControl.assumeControllable();
        publisher = broker.connect();
        Channel ch = publisher.createChannel();
        ch.exchangeDeclare(EXCHANGE, "fanout", true);
        ch.confirmSelect();
        subscription.start(Duration.ofMillis(200));
        await().atMost(DEADLINE).until(subscription::active);
        timers.scheduleAtFixedRate(consumer::flush, FLUSH.toMillis(), FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(() -> publish(ch), 0, 20, TimeUnit.MILLISECONDS);
    }

    private void publish(Channel ch) {
        long seq = published.get() + 1;
        try {
            ch.basicPublish(EXCHANGE, "", MessageProperties.PERSISTENT_TEXT_PLAIN,
                    (RUN + " " + seq).getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5000);
            published.set(seq);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("publishing " + seq, e); // ends the publishing: the test fails on counts
        }
    }

    @AfterEach
    void stop() throws IOException, TimeoutException {
        timers.shutdownNow();
        subscription.close();
        if (publisher == null) {
            return; // skipped before it started
        }
        try (Channel ch = publisher.createChannel()) {
            ch.queueDelete(QUEUE);
            ch.exchangeDelete(EXCHANGE);
        } finally {
            publisher.close();
        }
    }

    @Test
    void acknowledgingOnTheDeliveringChannelLosesNothingWhenTheBrokerClosesTheConnection() throws Exception {
        awaitReceived(published.get() + 50);
        List<Long> receivingAgainMs = new ArrayList<>();
        for (int i = 0; i < CLOSES; i++) {
            int port = localPort();
            long closedAt = System.nanoTime();
            assertThat(BrokerControl.closeConnections(c -> c.peerPort() == port, "fault test: closed by the broker"))
                    .as("the consumer's connection closed").isEqualTo(1);
            awaitReceived(published.get() + 1);
            receivingAgainMs.add(Duration.ofNanos(System.nanoTime() - closedAt).toMillis());
            awaitReceived(published.get() + 50);
        }
        Set<Long> acked = consumer.crash();
        subscription.close(); // gives back what was not acknowledged, as the broker does when a consumer dies
        timers.shutdownNow();
        assertThat(timers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        Set<Long> held = HeldMessages.drain(QUEUE);
        long total = published.get();
        long lost = 0;
        for (long seq = 1; seq <= total; seq++) {
            if (!acked.contains(seq) && !held.contains(seq)) {
                lost++;
            }
        }
        long ackedAndHeld = held.stream().filter(acked::contains).count();
        long twice;
        long redeliveries;
        long ackFailures;
        synchronized (consumer) {
            twice = consumer.received.values().stream().filter(n -> n > 1).count();
            redeliveries = consumer.redeliveries;
            ackFailures = consumer.ackFailures;
        }
        System.out.printf("raw client, acknowledging every %d ms on the delivering channel, %d connections closed by"
                        + " the broker (receiving again after %s ms), then a crash: published %d, acknowledged %d,"
                        + " held by the broker after the crash %d, lost %d, acknowledged yet still held %d; received"
                        + " twice %d (%d deliveries flagged redelivered); acknowledgements refused by a closed channel"
                        + " %d%n", FLUSH.toMillis(), CLOSES, receivingAgainMs, total, acked.size(), held.size(), lost,
                ackedAndHeld, twice, redeliveries, ackFailures);

        assertThat(lost).as("messages neither acknowledged by the consumer nor held by the broker").isZero();
        assertThat(ackedAndHeld).as("messages acknowledged but still held").isZero();
        assertThat(twice).as("messages received twice, each a redelivery of one never acknowledged")
                .isLessThanOrEqualTo(redeliveries);
    }

    /** The local port of the consumer's current connection, which the broker lists as its peer port. */
    private int localPort() throws IOException, TimeoutException {
        try (Channel ch = bus.channel()) {
            return ((AMQConnection) ch.getConnection()).getLocalPort();
        }
    }

    private void awaitReceived(long seq) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> consumer.received(seq));
    }
}
