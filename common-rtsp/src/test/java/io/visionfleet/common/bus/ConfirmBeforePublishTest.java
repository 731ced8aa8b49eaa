package io.visionfleet.common.bus;

import com.rabbitmq.client.AMQP;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import io.vertx.rabbitmq.RabbitMQPublisher;
import io.vertx.rabbitmq.RabbitMQPublisherOptions;
import io.visionfleet.common.testing.Broker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's publisher (Vert.x {@code RabbitMQPublisher}, the one SmallRye's outgoing channels use) on the real
 * broker: why {@link ConfirmBeforePublish} exists. If a connector upgrade stops confirming messages before it
 * publishes them, the first test fails, and the guard in {@link ExchangeEmitter} may go.
 */
class ConfirmBeforePublishTest {
    private static final int FLOOD = 20_000;
    private static final int MAX_FLOODS = 10;

    private final Broker broker = Broker.get();
    private final Vertx vertx = Vertx.vertx();
    private final String name = "confirm-before-publish-test-" + System.nanoTime();
    private RabbitMQClient client;

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            await(client.queueDelete(name));
            await(client.exchangeDelete(name));
            await(client.stop());
        }
        await(vertx.close());
    }

    @Test
    void aFloodOfConfirmedMessagesHasSomeConfirmedWithDeliveryTagZeroYetEveryMessageArrives() throws Exception {
        client = RabbitMQClient.create(vertx, new RabbitMQOptions().setHost(broker.host()).setPort(broker.port())
                .setUser(broker.username()).setPassword(broker.password()));
        await(client.start());
        await(client.exchangeDeclare(name, "fanout", false, false));
        await(client.queueDeclare(name, false, false, false));
        await(client.queueBind(name, name, ""));
        RabbitMQPublisher publisher = RabbitMQPublisher.create(vertx, client,
                new RabbitMQPublisherOptions().setMaxInternalQueueSize(FLOOD));
        await(publisher.start());
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

        long sent = 0;
        long tagZero = 0;
        // the race needs a multiple confirm between listing a message and tagging it: floods until one is seen
        for (int flood = 0; flood < MAX_FLOODS && tagZero == 0; flood++) {
            List<Future<Long>> confirms = new ArrayList<>(FLOOD);
            for (int i = 0; i < FLOOD; i++) {
                confirms.add(publisher.publishConfirm(name, "", persistent, Buffer.buffer("m" + sent++)));
            }
            for (Future<Long> confirm : confirms) {
                if (await(confirm) == 0L) {
                    tagZero++;
                }
            }
        }
        long published = sent;
        long queued = await(client.messageCount(name));
        System.out.printf("%d messages confirmed, %d of them with delivery tag 0 (before they were published); %d in"
                + " the queue%n", published, tagZero, queued);

        assertThat(tagZero).as("confirms with delivery tag 0 in %d messages", published).isPositive();
        // without a broker stop the early-confirmed messages are still published a moment later
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> await(client.messageCount(name)) == published);
    }

    @Test
    void onlyATagOfZeroMarksAConfirmBeforePublishing() {
        assertThat(ConfirmBeforePublish.published(result(0L))).isFalse();
        assertThat(ConfirmBeforePublish.published(result(1L))).isTrue();
        assertThat(ConfirmBeforePublish.published(result(123_456L))).isTrue();
        assertThat(ConfirmBeforePublish.published(new OutgoingMessageMetadata<>()))
                .as("a channel without publisher confirms reports no tag").isTrue();
    }

    private static OutgoingMessageMetadata<Long> result(long tag) {
        OutgoingMessageMetadata<Long> metadata = new OutgoingMessageMetadata<>();
        metadata.setResult(tag);
        return metadata;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
