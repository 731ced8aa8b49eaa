package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message the broker refuses, on the real broker: a queue at its length limit under {@code reject-publish} nacks
 * what is routed to it. The publisher must neither lose the message nor resend it in a tight loop, and the messages
 * behind it must keep their order. A second queue on the same exchange witnesses every attempt.
 */
@Tag("integration")
class BusPublisherRefusalTest {
    private final Broker broker = Broker.get();

    @Test
    void aRefusedMessageIsSentAgainAfterAPauseAndKeepsItsPlace() throws Exception {
        String exchange = "refusal-test-" + System.nanoTime();
        BusConnection bus = new BusConnection(broker.busConfig(), "refusal-test");
        BusPublisher publisher = new BusPublisher(bus, broker.busConfig(), new SimpleMeterRegistry());
        try (Connection test = broker.connect(); Channel ch = test.createChannel()) {
            ch.exchangeDeclare(exchange, "fanout", false, true, null);
            String full = ch.queueDeclare("", false, true, true, Map.of("x-max-length", 1, "x-overflow", "reject-publish"))
                    .getQueue();
            ch.queueBind(full, exchange, "");
            String witness = ch.queueDeclare().getQueue();
            ch.queueBind(witness, exchange, "");
            List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
            List<Long> attemptsOfOne = Collections.synchronizedList(new ArrayList<>());
            ch.basicConsume(witness, true, (tag, delivery) -> {
                int n = Json.MAPPER.readTree(delivery.getBody()).path("n").asInt();
                attempts.add(n);
                if (n == 1) {
                    attemptsOfOne.add(System.nanoTime());
                }
            }, tag -> { });

            publisher.publish(exchange, "cam", Map.of("stream_id", "cam", "n", 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.pending() == 0);
            publisher.publish(exchange, "cam", Map.of("stream_id", "cam", "n", 1));
            publisher.publish(exchange, "cam", Map.of("stream_id", "cam", "n", 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> attemptsOfOne.size() >= 3);
            assertThat(publisher.pending()).as("refused messages wait in the outbox").isEqualTo(2);
            List<Long> times = List.copyOf(attemptsOfOne);
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.ofNanos(times.get(i) - times.get(i - 1))).as("pause before attempt %d", i + 1)
                        .isGreaterThan(Duration.ofMillis(800));
            }

            ch.queueUnbind(full, exchange, ""); // room again: the next attempt is confirmed
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.pending() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() >= 2
                    && attempts.subList(attempts.size() - 2, attempts.size()).equals(List.of(1, 2)));
            assertThat(publisher.dropped()).isZero();
            assertThat(ch.messageCount(full)).as("the first message alone filled the limited queue").isEqualTo(1);
            ch.exchangeDelete(exchange);
        } finally {
            publisher.onStop(null);
            bus.close();
        }
    }
}
