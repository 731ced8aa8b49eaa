package io.visionfleet.storage.results;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.testing.ArchiveQueues;
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
    private final String prefix;
    private final List<String> streams;

    ScratchTopology(String test, List<String> streams) throws Exception {
        prefix = test + "-" + System.nanoTime() + ".";
        topology = new ArchiveTopology(prefix, Map.of("x-max-length", 1000));
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
        try {
            ArchiveQueues.delete(Broker.get(), prefix, streams.toArray(String[]::new));
        } finally {
            connection.close();
        }
    }
}
