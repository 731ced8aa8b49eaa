package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.Rabbitmqctl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The inspect queues on the real broker: transient, so each service's connection makes them again. */
@Tag("integration")
class InspectQueuesTest {
    private final Broker broker = Broker.get();

    @Test
    void aServiceThatConnectsMakesThemAgainAndTheyKeepWhatIsPublished() throws Exception {
        String queue = InspectQueues.name(Exchanges.PTZ_COMMANDS);
        BusConnection bus = new BusConnection(broker.busConfig(), "inspect-test");
        try (Connection connection = broker.connect(); Channel ch = connection.createChannel()) {
            ch.queueDelete(queue); // as a broker restart loses it
            bus.channel().close();
            assertThat(ch.queueDeclarePassive(queue).getQueue()).as("made again at connect").isEqualTo(queue);
            byte[] body = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            ch.basicPublish(Exchanges.PTZ_COMMANDS, "inspect-test", null, body);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(drainFor(ch, queue, body)).isTrue());
        } finally {
            bus.close();
        }
    }

    @Test
    void aQueueAnEarlierFleetMadeDurableIsKeptAsItIs() throws Exception {
        String old = InspectQueues.name(Exchanges.RECORDINGS);
        try (Connection connection = broker.connect(); Channel ch = connection.createChannel()) {
            ch.queueDelete(old);
            ch.queueDeclare(old, true, false, false, Map.of("x-max-length", 1000, "x-queue-mode", "lazy"));
            try {
                assertThat(InspectQueues.declare(connection)).containsExactly(old);
                String other = InspectQueues.name(Exchanges.PROCESSED_FRAMES);
                assertThat(ch.queueDeclarePassive(other).getQueue()).as("the others are made all the same")
                        .isEqualTo(other);
                assertThatThrownBy(() -> connection.createChannel().queueDeclare(old, false, false, false,
                        InspectQueues.ARGUMENTS)).as("the old queue is still there, durable")
                        .isInstanceOf(IOException.class);
            } finally {
                ch.queueDelete(old);
                assertThat(InspectQueues.declare(connection)).as("made again as the fleet makes it").isEmpty();
            }
        }
    }

    @Test
    void aUserTheBrokerDoesNotLetMakeThemStillConnects() throws Exception {
        assumeTrue(Rabbitmqctl.usable() && broker.host().equals("127.0.0.1"), "needs the local broker's rabbitmqctl");
        String user = "inspect-test-" + ProcessHandle.current().pid();
        Rabbitmqctl.run("add_user", user, "secret");
        BusConnection bus = null;
        try {
            // may make and use everything but queues named inspect.*
            Rabbitmqctl.run("set_permissions", "-p", broker.virtualHost(), user, "^(?!inspect\\.).*", ".*", ".*");
            bus = new BusConnection(broker.as(user, "secret").busConfig(), "inspect-test");
            bus.channel().close();
            assertThat(bus.isOpen()).as("connected all the same").isTrue();
            try (Connection connection = broker.connect()) {
                assertThat(InspectQueues.declare(connection)).as("the fleet's own user makes them").isEmpty();
            }
        } finally {
            if (bus != null) {
                bus.close();
            }
            Rabbitmqctl.run("delete_user", user);
        }
    }

    /** Takes messages off {@code queue} until it finds {@code body}; false when the queue ran dry first. */
    private static boolean drainFor(Channel ch, String queue, byte[] body) throws IOException {
        for (GetResponse got = ch.basicGet(queue, true); got != null; got = ch.basicGet(queue, true)) {
            if (Arrays.equals(got.getBody(), body)) {
                return true;
            }
        }
        return false;
    }
}
