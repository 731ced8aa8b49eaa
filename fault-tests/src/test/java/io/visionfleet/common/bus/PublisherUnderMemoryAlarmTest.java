package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.NetworkConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.faults.BrokerControl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet's publisher while the broker holds its confirms longer than {@code confirm-timeout}: a memory alarm on
 * the tests' own node blocks the publishing connection (it stays open; the broker reads nothing more from it) for
 * longer than the publisher's wait, then clears. Every message arrives exactly once and the publisher keeps its
 * connection. Giving up on the channel instead (closing it and publishing again on a new one) cost the whole
 * connection: the broker, reading on, found the new channel's open before the old one was closed
 * ({@code 504 CHANNEL_ERROR - second 'channel.open' seen}) and closed the connection, and the batch went out twice.
 *
 * <p>In this package to start a {@link BusConnection} as Quarkus does. Holds the tests' own node: run under the global
 * test lock, as the fault suite does.
 */
@Tag("integration")
class PublisherUnderMemoryAlarmTest {
    private static final int MESSAGES = 50;

    private final Broker broker = Broker.get();

    @Test
    void confirmsHeldPastTheTimeoutArriveOnTheSameConnectionAndNothingTwice() throws Exception {
        BusConfig config = broker.busConfig();
        Duration held = config.outbox().confirmTimeout().plusSeconds(5);
        try (FramesQueue queue = FramesQueue.open(broker, "faults.memory_alarm.")) {
            BusConnection bus = new BusConnection(config, "test");
            bus.onStart(null);
            BusPublisher publisher = new BusPublisher(bus, config, new SimpleMeterRegistry());
            try {
                publisher.publish(Exchanges.PROCESSED_FRAMES, "alarm", Map.of("n", 0));
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.pending() == 0);
                int port = localPort(bus);

                BrokerControl.memoryAlarm(true);
                long raisedAt = System.nanoTime();
                for (int n = 1; n < MESSAGES; n++) {
                    publisher.publish(Exchanges.PROCESSED_FRAMES, "alarm", Map.of("n", n));
                }
                // the fault under test is its length: the alarm holds the confirms past the publisher's timeout
                await().atMost(held.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> System.nanoTime() - raisedAt > held.toNanos());
                assertThat(publisher.pending()).as("messages waiting while the broker reads nothing").isPositive();
                BrokerControl.memoryAlarm(false);

                await().atMost(Duration.ofSeconds(60)).until(() -> publisher.pending() == 0);
                assertThat(queue.drain(body -> Integer.parseInt(body.replaceAll("\\D", ""))))
                        .as("every message once, in order").containsExactlyElementsOf(numbers());
                assertThat(publisher.dropped()).isZero();
                assertThat(localPort(bus)).as("the publisher's connection, by its port").isEqualTo(port);
                assertThat(BrokerControl.connectionPorts()).as("the broker's client connections").contains(port);
            } finally {
                BrokerControl.memoryAlarm(false);
                bus.close();
            }
        }
    }

    private static int localPort(BusConnection bus) throws Exception {
        try (Channel ch = bus.channel()) {
            return ((NetworkConnection) ch.getConnection()).getLocalPort();
        }
    }

    private static List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 0; n < MESSAGES; n++) {
            numbers.add(n);
        }
        return numbers;
    }
}
