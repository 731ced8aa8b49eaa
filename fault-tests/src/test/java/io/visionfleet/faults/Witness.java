package io.visionfleet.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.bus.DurableQueues;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * An independent durable queue bound to one exchange: it keeps (persistent messages in a quorum queue survive a broker
 * restart, and on a cluster the loss of a node) what reached the broker, to be counted after the run, whatever the
 * services did with it.
 */
final class Witness implements AutoCloseable {
    private final Broker broker;
    private final String queue;

    Witness(String queue, String exchange) throws IOException, TimeoutException {
        this(Broker.get(), queue, exchange);
    }

    Witness(Broker broker, String queue, String exchange) throws IOException, TimeoutException {
        this.broker = broker;
        this.queue = queue;
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "fanout", true);
            DurableQueues.declare(ch, queue, Map.of());
            ch.queuePurge(queue);
            ch.queueBind(queue, exchange, "");
        }
    }

    /** Takes everything the queue holds and counts the results of {@code streamId}. */
    ResultCount drain(String streamId) throws IOException, TimeoutException {
        ResultCount count = new ResultCount();
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
                FrameResult.of(Json.MAPPER.readTree(r.getBody())).filter(f -> f.streamId().equals(streamId))
                        .ifPresent(count::add);
            }
        }
        return count;
    }

    @Override
    public void close() throws IOException, TimeoutException {
        try (Connection c = broker.connect(); Channel ch = c.createChannel()) {
            ch.queueDelete(queue);
        }
    }
}
