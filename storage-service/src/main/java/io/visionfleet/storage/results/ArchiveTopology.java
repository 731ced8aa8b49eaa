package io.visionfleet.storage.results;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.visionfleet.common.bus.DurableQueues;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the archive's queues sit behind the fanout result exchanges, so that each storage replica receives the
 * results of the streams it records and no others, while the fanouts stay the public contract.
 *
 * <p>Per {@link ResultKind} {@code k} (prefix {@code p}): a direct exchange {@code p<k>.by_stream} bound to the kind's
 * fanout routes each message by its routing key, the stream id, to the stream's queue {@code p stream.<id>}, a quorum
 * queue bound to every kind's routing exchange once its stream is recorded somewhere. A message whose stream has no
 * such binding goes to the routing exchange's alternate exchange {@code p<k>.unowned}, a fanout into the kind's shared
 * queue {@code p<k>} (the queue every replica consumed before routing by stream), which every replica consumes: a
 * result is always in exactly one archive queue, never in none. A stream's queue takes a single active consumer, so
 * while a stream moves between replicas its results are archived by one of them at a time. A stream's queue is
 * deleted once nothing can reach it and it has stayed empty and unconsumed ({@link RecordedStreamQueues}).
 */
final class ArchiveTopology {
    private final String prefix;
    private final Map<String, Object> queueArguments;

    ArchiveTopology(String prefix, Map<String, Object> queueArguments) {
        this.prefix = prefix;
        this.queueArguments = Map.copyOf(queueArguments);
    }

    /** The kind's shared queue, for results of streams no replica records. */
    String sharedQueue(ResultKind kind) {
        return prefix + kind.fileName();
    }

    String routing(ResultKind kind) {
        return prefix + kind.fileName() + ".by_stream";
    }

    String unowned(ResultKind kind) {
        return prefix + kind.fileName() + ".unowned";
    }

    String streamQueue(String streamId) {
        return prefix + "stream." + streamId;
    }

    /**
     * Declares the routing and shared queues. The routing binding is made before the fanout's direct binding to the
     * shared queue (an archive of before routing by stream) is removed: a message routed to one queue by both paths is
     * stored once, and none is published into a gap.
     */
    void declare(Channel ch) throws IOException {
        for (ResultKind kind : ResultKind.values()) {
            ch.exchangeDeclare(unowned(kind), BuiltinExchangeType.FANOUT, true);
            ch.exchangeDeclare(routing(kind), BuiltinExchangeType.DIRECT, true, false,
                    Map.of("alternate-exchange", unowned(kind)));
            DurableQueues.declare(ch, sharedQueue(kind), queueArguments);
            ch.queueBind(sharedQueue(kind), unowned(kind), "");
            ch.exchangeBind(routing(kind), kind.exchange(), "");
            ch.queueUnbind(sharedQueue(kind), kind.exchange(), "");
        }
    }

    /**
     * Declares the stream's queue; returns it. Its owner consumes it before {@link #route routing} to it, so a routed
     * queue without a consumer is one whose owner is gone.
     */
    String declareStream(Channel ch, String streamId) throws IOException {
        Map<String, Object> arguments = new HashMap<>(queueArguments);
        arguments.put("x-single-active-consumer", true);
        DurableQueues.declare(ch, streamQueue(streamId), arguments);
        return streamQueue(streamId);
    }

    /** Routes the stream's results to its queue again (a binding another replica removed is made again). */
    void route(Channel ch, String streamId) throws IOException {
        for (ResultKind kind : ResultKind.values()) {
            ch.queueBind(streamQueue(streamId), routing(kind), streamId);
        }
    }

    /** Sends the stream's results from now on to the shared queues; what its queue holds stays there. */
    void unroute(Channel ch, String streamId) throws IOException {
        for (ResultKind kind : ResultKind.values()) {
            ch.queueUnbind(streamQueue(streamId), routing(kind), streamId);
        }
    }

    /** Deletes the stream's queue; returns how many results it still held (none, unless a race lost them). */
    int deleteStream(Channel ch, String streamId) throws IOException {
        return ch.queueDelete(streamQueue(streamId)).getMessageCount();
    }

    /** The kind of a message by the exchange it was published to, which routing behind it leaves as it is. */
    static Optional<ResultKind> kindOf(String exchange) {
        for (ResultKind kind : ResultKind.values()) {
            if (kind.exchange().equals(exchange)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
