package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quorum queues on the real broker, and a classic queue of the same name from before kept with what it holds. */
@Tag("integration")
class DurableQueuesTest {
    private static final Map<String, Object> MAX_TWO = Map.of("x-max-length", 2);

    private final Connection connection;
    private final String queue = "durable-queues-test-" + System.nanoTime();

    DurableQueuesTest() throws IOException, TimeoutException {
        connection = Broker.get().connect();
    }

    @AfterEach
    void delete() throws IOException, TimeoutException {
        try (Channel ch = connection.createChannel()) {
            ch.queueDelete(queue);
        } finally {
            connection.close();
        }
    }

    @Test
    void aNewQueueIsAQuorumQueueWithTheGivenArguments() throws Exception {
        Channel ch = connection.createChannel();
        ch.confirmSelect();
        assertThat(DurableQueues.declare(ch, queue, MAX_TWO)).isEqualTo(DurableQueues.Type.QUORUM);
        assertThat(DurableQueues.declare(ch, queue, MAX_TWO)).as("declared again").isEqualTo(DurableQueues.Type.QUORUM);
        for (String body : new String[] {"1", "2", "3"}) {
            ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body.getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(10_000);
        assertThat(new String(ch.basicGet(queue, true).getBody(), StandardCharsets.UTF_8)).as("the oldest beyond 2 dropped").isEqualTo("2");
        // the broker says what it is: a classic declaration of it is refused
        Channel other = connection.createChannel();
        assertThatThrownBy(() -> other.queueDeclare(queue, true, false, false, Map.of("x-max-length", 2, "x-queue-type", "classic")))
                .isInstanceOf(IOException.class).cause().hasMessageContaining("PRECONDITION_FAILED")
                .hasMessageContaining("x-queue-type");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aClassicQueueFromBeforeIsKeptWithWhatItHolds() throws Exception {
        Channel ch = connection.createChannel();
        ch.confirmSelect();
        ch.queueDeclare(queue, true, false, false, MAX_TWO);
        ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, "waiting".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(10_000);

        assertThat(DurableQueues.declare(ch, queue, MAX_TWO)).isEqualTo(DurableQueues.Type.CLASSIC);
        assertThat(ch.isOpen()).as("the channel it was given still works").isTrue();
        assertThat(new String(ch.basicGet(queue, true).getBody(), StandardCharsets.UTF_8)).isEqualTo("waiting");
    }

    @Test
    void aQueueWithOtherArgumentsIsRefusedNotTakenForAnOldOne() throws Exception {
        assertThat(DurableQueues.declare(connection.createChannel(), queue, MAX_TWO)).isEqualTo(DurableQueues.Type.QUORUM);
        Channel other = connection.createChannel();
        assertThatThrownBy(() -> DurableQueues.declare(other, queue, Map.of("x-max-length", 3)))
                .isInstanceOf(IOException.class).cause().hasMessageContaining("x-max-length");
    }
}
