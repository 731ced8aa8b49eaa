package io.visionfleet.storage.results;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.testing.Broker;

import java.util.List;
import java.util.Map;

/**
 * An archive topology of a test's own on the real broker (its own queue prefix), with the result fanouts declared as
 * every service's bus connection declares them; closing deletes what it made, and the named streams' queues.
 */
final class ScratchTopology implements AutoCloseable {
    final ArchiveTopology topology;
    final Connection connection;
    /** In confirm mode: a confirmed publish has been routed. */
    final Channel publisher;
    private final List<String> streams;

    ScratchTopology(String test, List<String> streams) throws Exception {
        topology = new ArchiveTopology(test + "-" + System.nanoTime() + ".", Map.of("x-max-length", 1000));
        this.streams = streams;
        connection = Broker.get().connect();
        publisher = connection.createChannel();
        publisher.confirmSelect();
        for (ResultKind kind : ResultKind.values()) {
            publisher.exchangeDeclare(kind.exchange(), BuiltinExchangeType.FANOUT, true);
        }
    }

    @Override
    public void close() throws Exception {
        try (Channel cleanup = connection.createChannel()) {
            for (ResultKind kind : ResultKind.values()) {
                cleanup.queueDelete(topology.sharedQueue(kind));
                cleanup.exchangeDelete(topology.routing(kind));
                cleanup.exchangeDelete(topology.unowned(kind));
            }
            for (String stream : streams) {
                cleanup.queueDelete(topology.streamQueue(stream));
            }
        } finally {
            connection.close();
        }
    }
}
