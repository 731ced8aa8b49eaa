package io.visionfleet.common.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What routing by stream builds on, on the real broker: results go to the fanout exchange with their stream id as
 * routing key, so a topic exchange bound behind it routes them by stream, while the fanout's own queues still get
 * every stream's.
 */
@Tag("integration")
class BusPublisherRoutingTest {
    private final Broker broker = Broker.get();

    @Test
    void aTopicExchangeBehindTheFanoutGetsOnlyTheStreamsBoundToIt() throws Exception {
        String byStream = "routing-test-" + System.nanoTime();
        BusConnection bus = new BusConnection(broker.busConfig(), "routing-test");
        BusPublisher publisher = new BusPublisher(bus, broker.busConfig(), new SimpleMeterRegistry());
        try (Connection test = broker.connect(); Channel ch = test.createChannel()) {
            ch.exchangeDeclare(Exchanges.PROCESSED_FRAMES, "fanout", true);
            ch.exchangeDeclare(byStream, "topic", false, true, null);
            ch.exchangeBind(byStream, Exchanges.PROCESSED_FRAMES, "");
            String camA = ch.queueDeclare().getQueue();
            ch.queueBind(camA, byStream, "cam-a");
            String everything = ch.queueDeclare().getQueue();
            ch.queueBind(everything, Exchanges.PROCESSED_FRAMES, "");

            for (int n = 0; n < 3; n++) {
                for (String stream : List.of("cam-a", "cam-b")) {
                    publisher.publish(Exchanges.PROCESSED_FRAMES, stream, Map.of("stream_id", stream, "n", n));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ch.messageCount(everything) == 6);
            assertThat(streams(ch, camA)).containsExactly("cam-a", "cam-a", "cam-a");
            assertThat(streams(ch, everything)).containsExactly("cam-a", "cam-b", "cam-a", "cam-b", "cam-a", "cam-b");
            ch.exchangeDelete(byStream);
        } finally {
            publisher.onStop(null);
            bus.close();
        }
    }

    private static List<String> streams(Channel ch, String queue) throws Exception {
        List<String> streams = new ArrayList<>();
        for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
            JsonNode message = Json.MAPPER.readTree(r.getBody());
            assertThat(r.getEnvelope().getRoutingKey()).as("routing key").isEqualTo(message.path("stream_id").asText());
            streams.add(message.path("stream_id").asText());
        }
        return streams;
    }
}
