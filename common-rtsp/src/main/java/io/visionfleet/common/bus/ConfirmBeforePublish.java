package io.visionfleet.common.bus;

import io.smallrye.reactive.messaging.OutgoingMessageMetadata;

/**
 * A publisher confirm the connector reported for a message it had not published yet. Vert.x's {@code
 * RabbitMQPublisher} (under SmallRye's connector) lists a message as awaiting its confirm before a worker thread gives
 * it a delivery tag and publishes it; a multiple confirm for the messages before it that arrives in between settles
 * it too, with delivery tag 0. Such a message is usually published a moment later, but one caught by a broker stop is
 * lost while counted as confirmed. Measured: 205 of 50,000 confirms in a flood without any restart, and the message
 * the broker-restart probe lost (docs/reliability.md). The message is sent again; the archive de-duplicates.
 */
public final class ConfirmBeforePublish extends Exception {
    public ConfirmBeforePublish(String exchange) {
        super("the connector confirmed a message to " + exchange + " before publishing it", null, false, false);
    }

    /**
     * False if {@code tag}, the connector's result for an acknowledged message, says it was confirmed before it had a
     * delivery tag (0; the broker numbers from 1). No result at all is a channel without publisher confirms.
     */
    public static boolean published(OutgoingMessageMetadata<Long> tag) {
        Long result = tag.getResult();
        return result == null || result != 0;
    }
}
