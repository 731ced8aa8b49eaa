package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.faults.BrokerControl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A durable queue of the publisher tests' own, bound to {@code processed_frames_exchange}; deleted on close. */
final class FramesQueue implements AutoCloseable {
    private final Broker broker;
    private final String name;

    /** The queue, on the tests' own node; skips the test (JUnit assumption) where the node cannot be controlled. */
    static FramesQueue open(Broker broker, String prefix) throws Exception {
        BrokerControl.assumeControllable();
        return new FramesQueue(broker, prefix);
    }

    private FramesQueue(Broker broker, String prefix) throws Exception {
        this.broker = broker;
        this.name = prefix + System.nanoTime();
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(Exchanges.PROCESSED_FRAMES, "fanout", true);
            ch.queueDeclare(name, true, false, false, null);
            ch.queueBind(name, Exchanges.PROCESSED_FRAMES, "");
        }
    }

    /** Reads every message of the queue in order, acknowledging as it goes, and parses each into its number. */
    List<Integer> drain(Function<String, Integer> number) throws Exception {
        List<Integer> arrived = new ArrayList<>();
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            for (GetResponse g; (g = ch.basicGet(name, true)) != null; ) {
                arrived.add(number.apply(new String(g.getBody(), StandardCharsets.UTF_8)));
            }
        }
        return arrived;
    }

    @Override
    public void close() throws Exception {
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            ch.queueDelete(name);
        }
    }
}
