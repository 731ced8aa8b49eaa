package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A subscription on the real broker: it consumes, retries a setup that fails, and lets go on close. */
@Tag("integration")
class BusSubscriptionTest {
    private static final Duration RETRY = Duration.ofMillis(100);

    private final Broker broker = Broker.get();
    private final BusConnection bus = new BusConnection(broker.busConfig(), "test");
    /** Unique per test, so a leftover binding of another run never delivers here. */
    private final String exchange = "bus-subscription-test-" + System.nanoTime();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    /** The channel of each attempt, in order. */
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> queue = new AtomicReference<>();
    private final AtomicReference<BusSubscription> renewingSubscription = new AtomicReference<>();
    private final BusSubscription subscription = new BusSubscription("test-subscription", bus, this::consume);
    private final Connection test;

    BusSubscriptionTest() throws IOException, TimeoutException {
        test = broker.connect();
    }

    @AfterEach
    void close() throws IOException {
        subscription.close();
        try (Channel ch = test.createChannel()) {
            ch.exchangeDelete(exchange);
        } catch (TimeoutException e) {
            throw new IOException(e);
        } finally {
            test.close();
            bus.close();
        }
    }

    private void consume(Channel ch) throws IOException {
        attempts.incrementAndGet();
        channels.add(ch);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, exchange, ""); // fails with a channel error while the exchange does not exist
        ch.basicConsume(q, true, (tag, delivery) ->
                received.add(Json.MAPPER.readValue(delivery.getBody(), String.class)), tag -> { });
        queue.set(q);
    }

    private void declareExchange() throws IOException, TimeoutException {
        try (Channel ch = test.createChannel()) {
            ch.exchangeDeclare(exchange, "fanout", true); // as durable as a Broker.Tap declares it
        }
    }

    /** Publishes {@code text} as a JSON string, which a {@link Broker.Tap} can read. */
    private void publish(String text) throws IOException, TimeoutException {
        try (Channel ch = test.createChannel()) {
            ch.basicPublish(exchange, "", null, Json.MAPPER.writeValueAsBytes(text));
        }
    }

    @Test
    void subscribesOnItsThreadAndReceivesWhatIsPublished() throws Exception {
        declareExchange();
        subscription.start(RETRY);
        await().atMost(Duration.ofSeconds(10)).until(subscription::active);

        publish("hello");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("hello"));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void retriesAFailingSetupUntilItSucceeds() throws Exception {
        subscription.start(RETRY);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 2);
        assertThat(subscription.active()).isFalse();

        declareExchange();
        await().atMost(Duration.ofSeconds(10)).until(subscription::active);
        publish("after retry");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after retry"));
        assertThat(channels.subList(0, channels.size() - 1)).as("failed attempts leave no channel open")
                .noneMatch(Channel::isOpen);
    }

    @Test
    void aSingleAttemptReportsWhetherItSubscribed() throws Exception {
        assertThat(subscription.subscribe()).isFalse();
        declareExchange();
        assertThat(subscription.subscribe()).isTrue();
        assertThat(subscription.subscribe()).as("subscribed already: no second channel").isTrue();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aLostChannelIsReplacedByANewSubscription() throws Exception {
        declareExchange();
        subscription.start(RETRY);
        await().atMost(Duration.ofSeconds(10)).until(subscription::active);
        Channel first = channels.get(0);

        subscription.renew(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 2 && subscription.active());
        assertThat(first.isOpen()).isFalse();
        assertThat(channels.get(1)).isNotSameAs(first);
        publish("on the new channel");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("on the new channel"));
        subscription.renew(first);
        assertThat(subscription.active()).as("a channel that is no longer the subscribed one changes nothing").isTrue();
    }

    /**
     * A consumer may give up on a channel while the setup still runs on it (storage-service's results archive: a
     * redelivery arrives and fails to be written before the subscription has recorded the channel); the channel must
     * close all the same, or it keeps its unacknowledged messages and nobody ever processes them.
     */
    @Test
    void aChannelRenewedWhileItsSetupRunsIsClosedAndReplaced() throws Exception {
        declareExchange();
        BusSubscription renewing = new BusSubscription("test-renewing", bus, ch -> {
            consume(ch);
            if (attempts.get() == 1) {
                renewingSubscription.get().renew(ch);
            }
        });
        renewingSubscription.set(renewing);
        try {
            renewing.start(RETRY);
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 2 && renewing.active());
            assertThat(channels.get(0).isOpen()).as("the channel renewed during its setup").isFalse();
            publish("after the renewal");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after the renewal"));
        } finally {
            renewing.close();
        }
    }

    @Test
    void closeEndsDeliveriesAndClosesTheChannel() throws Exception {
        declareExchange();
        subscription.start(RETRY);
        await().atMost(Duration.ofSeconds(10)).until(subscription::active);

        subscription.close();
        assertThat(subscription.active()).isFalse();
        assertThat(channels).singleElement().matches(ch -> !ch.isOpen(), "closed");
        assertThat(subscription.subscribe()).as("closed for good").isFalse();
        Channel probe = test.createChannel(); // the broker closes it on the failed check; the connection goes in close()
        assertThatThrownBy(() -> probe.queueDeclarePassive(queue.get()))
                .as("the auto-delete queue went with its consumer").isInstanceOf(IOException.class);
        try (Broker.Tap tap = broker.tap(exchange)) {
            publish("after close");
            tap.poll(Duration.ofSeconds(5), message -> true); // routed, so it would have reached a live consumer
        }
        assertThat(received).doesNotContain("after close");
    }

    @Test
    void theConnectionAgreesTheConfiguredHeartbeatNotTheClientsMinute() throws Exception {
        try (Channel ch = bus.channel()) {
            assertThat(ch.getConnection().getHeartbeat()).isEqualTo(10);
        }
    }
}
