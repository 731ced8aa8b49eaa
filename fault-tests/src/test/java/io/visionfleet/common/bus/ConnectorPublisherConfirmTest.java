package io.visionfleet.common.bus;

import com.rabbitmq.client.AMQP;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQConfirmation;
import io.vertx.rabbitmq.RabbitMQPublisher;
import io.vertx.rabbitmq.RabbitMQPublisherOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the fleet does not publish through the RabbitMQ connector, without a broker: the connector's publisher (Vert.x
 * {@code RabbitMQPublisher}, what SmallRye's outgoing channels use) lists a message as awaiting its confirm before the
 * client has given it a delivery tag, and a confirm settles every listed message whose tag is at most the confirmed
 * one. A confirm of earlier messages that comes in between settles the untagged message (tag 0), which the broker has
 * not seen. {@code PublisherConfirmsAcrossStopTest} saw it happen under a flood
 * (docs/decisions/0001-raw-amqp-client.md); here a client that holds the second message's tag back makes it happen
 * every time. If an upgrade fixes it, this fails and the decision may be revisited.
 */
@Tag("quick")
class ConnectorPublisherConfirmTest {
    private static final long TIMEOUT_S = 30;

    /** One basicPublishWithDeliveryTag the publisher asked of the client, whose tag and outcome the test hands out. */
    private record Send(String body, Handler<Long> deliveryTag, Handler<io.vertx.core.AsyncResult<Void>> result) {
    }

    /** The client's side: what the publisher sends, and the confirm stream it listens to on its own context. */
    private static final class Client {
        final BlockingQueue<Send> sends = new LinkedBlockingQueue<>();
        final CompletableFuture<Handler<RabbitMQConfirmation>> confirms = new CompletableFuture<>();
        volatile Context context;

        RabbitMQClient proxy() {
            return (RabbitMQClient) Proxy.newProxyInstance(RabbitMQClient.class.getClassLoader(),
                    new Class<?>[] {RabbitMQClient.class}, (self, method, args) -> switch (method.getName()) {
                        case "addConnectionEstablishedCallback" -> null;
                        case "addConfirmListener" -> {
                            context = Vertx.currentContext();
                            yield Future.succeededFuture(confirmStream());
                        }
                        case "basicPublishWithDeliveryTag" -> {
                            @SuppressWarnings("unchecked")
                            Send send = new Send(((Buffer) args[3]).toString(), (Handler<Long>) args[4],
                                    (Handler<io.vertx.core.AsyncResult<Void>>) args[5]);
                            sends.add(send);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        @SuppressWarnings("unchecked")
        private ReadStream<RabbitMQConfirmation> confirmStream() {
            return (ReadStream<RabbitMQConfirmation>) Proxy.newProxyInstance(ReadStream.class.getClassLoader(),
                    new Class<?>[] {ReadStream.class}, (self, method, args) -> {
                        if (method.getName().equals("handler")) {
                            confirms.complete((Handler<RabbitMQConfirmation>) args[0]);
                        }
                        return self;
                    });
        }

        Send nextSend() throws InterruptedException {
            Send send = sends.poll(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(send).as("a publish reached the client").isNotNull();
            return send;
        }

        /** The worker's part of {@code send}: it takes delivery tag {@code tag} and publishes, on the client's context. */
        void publish(Send send, long tag) {
            context.runOnContext(v -> {
                send.deliveryTag().handle(tag);
                send.result().handle(Future.succeededFuture());
            });
        }

        /** The broker's confirm of every message up to {@code tag} on channel 1, delivered on the client's context. */
        void confirmUpTo(long tag) throws Exception {
            Handler<RabbitMQConfirmation> handler = confirms.get(TIMEOUT_S, TimeUnit.SECONDS);
            context.runOnContext(v -> handler.handle(new RabbitMQConfirmation(1, tag, true, true)));
        }
    }

    @Test
    void aConfirmOfEarlierMessagesSettlesAMessageNotYetPublished() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Client client = new Client();
            RabbitMQPublisher publisher = RabbitMQPublisher.create(vertx, client.proxy(), new RabbitMQPublisherOptions());
            publisher.start().toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

            CompletableFuture<Long> first = publisher.publishConfirm("x", "", persistent, Buffer.buffer("1"))
                    .toCompletionStage().toCompletableFuture();
            client.publish(client.nextSend(), 1); // the broker has message 1

            CompletableFuture<Long> second = publisher.publishConfirm("x", "", persistent, Buffer.buffer("2"))
                    .toCompletionStage().toCompletableFuture();
            Send untagged = client.nextSend(); // listed, but the worker has neither tagged nor published it yet
            assertThat(untagged.body()).isEqualTo("2");

            client.confirmUpTo(1);

            assertThat(first.get(TIMEOUT_S, TimeUnit.SECONDS)).as("message 1, confirmed").isEqualTo(1);
            assertThat(second.get(TIMEOUT_S, TimeUnit.SECONDS)).as("message 2, confirmed before it was published")
                    .isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }
}
