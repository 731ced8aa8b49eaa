package io.visionfleet.common.bus;

import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.util.concurrent.CompletableFuture;

/**
 * One fanout exchange as the connector's outgoing channel of the same name ({@code mp.messaging.outgoing.<exchange>},
 * configured by the service that publishes to it). Messages to the archived exchanges ({@link Exchanges#ARCHIVED})
 * are persistent, so those waiting in storage's durable queues survive a broker restart.
 */
public final class ExchangeEmitter {
    private final String exchange;
    private final Emitter<byte[]> emitter;
    private final Metadata metadata;

    /** {@code emitter} is the {@code @Channel(exchange)} emitter. */
    public ExchangeEmitter(String exchange, Emitter<byte[]> emitter) {
        this.exchange = exchange;
        this.emitter = emitter;
        this.metadata = Metadata.of(OutgoingRabbitMQMetadata.builder().withContentType("application/json")
                .withDeliveryMode(Exchanges.ARCHIVED.contains(exchange) ? 2 : 1).build());
    }

    public String exchange() {
        return exchange;
    }

    /**
     * Hands {@code body} to the connector; completes when the broker confirmed it, exceptionally when the broker or
     * the connector refused it, or with {@link ConfirmBeforePublish} when the connector confirmed it before publishing
     * it. A confirm may also never come (about one per broker restart): the caller times out.
     */
    CompletableFuture<Void> send(byte[] body) {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        OutgoingMessageMetadata<Long> tag = new OutgoingMessageMetadata<>(); // the connector puts the delivery tag here
        Message<byte[]> message = Message.of(body, metadata.with(tag))
                .withAck(() -> {
                    if (ConfirmBeforePublish.published(tag)) {
                        confirm.complete(null);
                    } else {
                        confirm.completeExceptionally(new ConfirmBeforePublish(exchange));
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(reason -> {
                    confirm.completeExceptionally(reason);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) { // the emitter's buffer is full, or the service is stopping
            confirm.completeExceptionally(e);
        }
        return confirm;
    }
}
