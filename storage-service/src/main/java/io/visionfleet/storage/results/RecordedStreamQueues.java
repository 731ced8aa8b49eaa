package io.visionfleet.storage.results;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.consumer.StreamListener;
import io.visionfleet.common.consumer.StreamState;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The stream queues ({@link ArchiveTopology}) this replica consumes on the archive's channel: those of the streams it
 * records (its stream consumer follows them, so with stream ownership those it holds the lease of), and those it
 * drains.
 *
 * <p>A followed stream's results are routed to its queue and consumed here. When the stream is unfollowed (handed to
 * another replica, or ended) they are routed to the shared queues again, while this replica keeps consuming the
 * stream's queue until it is empty, so nothing is left in it; the queue's single active consumer means the next owner
 * takes over only when this one lets go. A stream queue can still be left holding results nobody consumes when its
 * replica died and the stream ended before another one took it: every {@code sweep} this replica looks at the queues
 * of the streams it has seen (recorded before, found in its archive, or known to the group) and drains any that
 * holds messages and has no consumer. It also routes its own streams again then, in case a replica cut off from the
 * group removed the binding after the stream had moved here.
 *
 * <p>A stream's queue is deleted when nothing can reach it any more, so that stream ids that come and go (one per
 * flight or per phone) do not leave a quorum queue each on the broker: a sweep that finds the queue of a seen stream
 * empty, without consumer, not recorded here and unknown to the group, unroutes it, and the next sweep, finding it
 * so again, deletes it. Owners consume before they route (a routed queue without a consumer is an orphan), and the
 * sweeps' interval is far longer than a flush, so what was delivered from the queue has been acknowledged by then. A
 * queue deleted under its owner (by an operator, or a sweep that raced a new owner) is declared, consumed and routed
 * again when the broker cancels the owner's consumer.
 *
 * <p>Every method but the listener's runs on the archive's thread, which the listener hands its calls to.
 */
final class RecordedStreamQueues implements StreamListener {
    private static final Logger LOG = Logger.getLogger(RecordedStreamQueues.class);

    /** Starts consuming {@code queue} on the archive's channel; returns the consumer tag. */
    @FunctionalInterface
    interface Subscriber {
        /** {@code cancelled}: called when the broker cancels the consumer, as it does when the queue is deleted. */
        String consume(String queue, CancelCallback cancelled) throws IOException;
    }

    private final ArchiveTopology topology;
    private final Executor thread;
    private final Supplier<Collection<String>> known;
    private final Set<String> recorded = new TreeSet<>();
    private final Set<String> draining = new TreeSet<>();
    private final Set<String> seen = new TreeSet<>();
    /** Seen streams whose queue the last full sweep found unreachable, empty and unconsumed: deleted if so again. */
    private final Set<String> idle = new TreeSet<>();
    /** Consumer tags by stream, on {@link #channel}. */
    private final Map<String, String> tags = new HashMap<>();
    private Channel channel;
    private Subscriber subscriber;
    private Channel probe;
    private String problem;

    /** {@code known}: streams the replica group knows (its stream ownership's), read on every sweep. */
    RecordedStreamQueues(ArchiveTopology topology, Executor thread, Supplier<Collection<String>> known) {
        this.topology = topology;
        this.thread = thread;
        this.known = known;
    }

    @Override
    public void followed(StreamState stream) {
        run(() -> record(stream.streamId()));
    }

    @Override
    public void unfollowed(StreamState stream) {
        run(() -> release(stream.streamId()));
    }

    /** Streams whose queue may hold results from an earlier run: drained on the first sweep if nobody consumes them. */
    void remember(Collection<String> streams) {
        run(() -> seen.addAll(streams));
    }

    /** The archive consumes on a new channel: every recorded and draining stream's queue is consumed there. */
    void attach(Channel ch, Subscriber consumeOn) {
        run(() -> {
            channel = ch;
            subscriber = consumeOn;
            tags.clear();
            try {
                for (String stream : recorded) {
                    topology.declareStream(ch, stream);
                    subscribe(stream);
                    topology.route(ch, stream);
                }
                for (String stream : draining) {
                    subscribe(stream);
                }
            } catch (IOException | RuntimeException e) {
                report(e); // the channel is closed: the archive's subscription attaches its next one
            }
        });
    }

    /** Streams whose queue this replica consumes now. */
    Set<String> consumed() {
        return Set.copyOf(tags.keySet());
    }

    /** Lets go of the drained queues, and adopts and re-routes as described above. On the archive's thread. */
    void sweep(boolean full) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        try {
            for (String stream : List.copyOf(draining)) {
                AMQP.Queue.DeclareOk state = inspect(stream);
                if (state == null || state.getMessageCount() == 0) {
                    draining.remove(stream);
                    cancel(stream);
                }
            }
            if (full) {
                Set<String> group = Set.copyOf(known.get());
                seen.addAll(group);
                for (String stream : recorded) {
                    topology.route(channel, stream);
                }
                for (String stream : List.copyOf(seen)) {
                    if (!tags.containsKey(stream)) {
                        tidy(stream, group.contains(stream));
                    }
                }
            }
            problem = null;
        } catch (IOException | RuntimeException e) {
            report(e);
        }
    }

    private void record(String stream) {
        recorded.add(stream);
        seen.add(stream);
        draining.remove(stream);
        if (channel == null || !channel.isOpen()) {
            return; // consumed when the next channel is attached
        }
        try {
            topology.declareStream(channel, stream);
            if (!tags.containsKey(stream)) {
                subscribe(stream);
            }
            topology.route(channel, stream);
            LOG.debugf("archiving stream %s's results from %s", stream, topology.streamQueue(stream));
        } catch (IOException | RuntimeException e) {
            report(e);
        }
    }

    private void release(String stream) {
        if (!recorded.remove(stream)) {
            return;
        }
        if (channel == null || !channel.isOpen()) {
            return; // its queue stays routed: the next owner consumes it, or a sweep drains it
        }
        try {
            topology.unroute(channel, stream);
            if (tags.containsKey(stream)) {
                draining.add(stream);
            }
        } catch (IOException | RuntimeException e) {
            report(e);
        }
    }

    /**
     * Drains the queue of a stream not consumed here if it holds results and has no consumer; unroutes, then on the
     * next sweep deletes, one that is empty, unconsumed and of a stream nobody records ({@code known}: by the group).
     */
    private void tidy(String stream, boolean known) throws IOException {
        AMQP.Queue.DeclareOk state = inspect(stream);
        boolean unreachable = state != null && state.getConsumerCount() == 0 && state.getMessageCount() == 0
                && !known && !recorded.contains(stream);
        if (!unreachable) {
            idle.remove(stream);
        }
        if (state == null) {
            seen.remove(stream); // no queue: nothing can be waiting in one
        } else if (state.getConsumerCount() == 0 && state.getMessageCount() > 0) {
            LOG.infof("draining %d results of stream %s that no replica consumed", state.getMessageCount(), stream);
            subscribe(stream);
            draining.add(stream);
        } else if (unreachable && idle.add(stream)) {
            topology.unroute(probe(), stream); // a result routed before this is counted by the next sweep
        } else if (unreachable) {
            idle.remove(stream);
            seen.remove(stream);
            int lost = topology.deleteStream(probe(), stream);
            if (lost > 0) {
                LOG.warnf("deleted stream %s's queue as %d results reached it (a new owner routed it meanwhile)",
                        stream, lost);
            } else {
                LOG.infof("deleted stream %s's queue: it ended or moved, and its queue is empty", stream);
            }
        }
    }

    /** Consumes the stream's queue; when the broker cancels that consumer, consumes and routes it anew if recorded. */
    private void subscribe(String stream) throws IOException {
        tags.put(stream, subscriber.consume(topology.streamQueue(stream), tag -> run(() -> {
            if (!tag.equals(tags.get(stream))) {
                return;
            }
            tags.remove(stream);
            draining.remove(stream);
            if (recorded.contains(stream)) {
                LOG.infof("stream %s's queue was deleted while it is recorded here: declaring it again", stream);
                record(stream);
            }
        })));
    }

    /** The stream queue's counts, null when it does not exist. */
    private AMQP.Queue.DeclareOk inspect(String stream) throws IOException {
        try {
            return probe().queueDeclarePassive(topology.streamQueue(stream));
        } catch (IOException e) {
            if (BusConnection.channelReplyCode(e) == AMQP.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** A channel of its own for passive declarations and deletes: one of an absent queue closes its channel. */
    private Channel probe() throws IOException {
        if (probe == null || !probe.isOpen()) {
            probe = channel.getConnection().createChannel();
        }
        return probe;
    }

    private void cancel(String stream) throws IOException {
        String tag = tags.remove(stream);
        if (tag != null) {
            try {
                channel.basicCancel(tag);
            } catch (AlreadyClosedException e) {
                LOG.debugf("channel closed before cancelling %s", tag);
            }
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("results archive stopped: stream queue change not made");
        }
    }

    private void report(Exception e) {
        if (e instanceof AlreadyClosedException) {
            LOG.debugf("archive channel closed: %s", e.getMessage()); // the subscription attaches the next one
            return;
        }
        String message = BusConnection.reason(e);
        if (!message.equals(problem)) {
            LOG.warnf("stream queues of the results archive: %s (again on the next channel or sweep)", message);
        }
        problem = message;
    }
}
