package io.visionfleet.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * An independent durable queue bound to one exchange: it keeps (persistent messages survive a broker restart) what
 * reached the broker, to be counted after the run, whatever the services did with it.
 */
final class Witness implements AutoCloseable {
    private final String queue;

    Witness(String queue, String exchange) throws IOException, TimeoutException {
        this.queue = queue;
        try (Connection c = Broker.get().connect(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "fanout", true);
            ch.queueDeclare(queue, true, false, false, null);
            ch.queuePurge(queue);
            ch.queueBind(queue, exchange, "");
        }
    }

    /** Takes everything the queue holds and counts the results of {@code streamId}. */
    ResultCount drain(String streamId) throws IOException, TimeoutException {
        ResultCount count = new ResultCount();
        try (Connection c = Broker.get().connect(); Channel ch = c.createChannel()) {
            for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
                FrameResult.of(Json.MAPPER.readTree(r.getBody())).filter(f -> f.streamId().equals(streamId))
                        .ifPresent(count::add);
            }
        }
        return count;
    }

    @Override
    public void close() throws IOException, TimeoutException {
        try (Connection c = Broker.get().connect(); Channel ch = c.createChannel()) {
            ch.queueDelete(queue);
        }
    }
}
