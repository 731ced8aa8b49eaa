package io.visionfleet.common.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Declares the queues whose messages must outlive a broker node as quorum queues, replicated over the nodes of a
 * cluster (one replica on a single node). RabbitMQ does not turn an existing classic queue into a quorum one: a queue
 * of the same name made before the fleet used quorum queues is kept as it is, and said once, so that nothing waiting
 * in it is lost; an operator drains and deletes it to have it made again as a quorum queue (docs/deploy.md).
 */
public final class DurableQueues {
    private static final Logger LOG = Logger.getLogger(DurableQueues.class);
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    public enum Type { QUORUM, CLASSIC }

    private DurableQueues() {
    }

    /**
     * Declares {@code queue} durable, with {@code arguments}, on {@code channel}: a quorum queue unless a classic one
     * of that name exists. The attempt runs on a channel of its own, because a refused declaration closes its channel.
     */
    public static Type declare(Channel channel, String queue, Map<String, Object> arguments) throws IOException {
        Map<String, Object> quorum = new HashMap<>(arguments);
        quorum.put("x-queue-type", "quorum");
        Channel attempt = channel.getConnection().createChannel();
        try {
            attempt.queueDeclare(queue, true, false, false, quorum);
        } catch (IOException e) {
            if (!refusedForItsType(e)) {
                throw e;
            }
            if (REPORTED.add(queue)) {
                LOG.warnf("queue %s is a classic queue made before the fleet used quorum queues: it is used as it is, on"
                        + " one node; drain and delete it to have it made again replicated (docs/deploy.md)", queue);
            }
            channel.queueDeclare(queue, true, false, false, arguments);
            return Type.CLASSIC;
        } finally {
            closeQuietly(attempt);
        }
        channel.queueDeclare(queue, true, false, false, quorum);
        return Type.QUORUM;
    }

    /** The broker's "inequivalent arg 'x-queue-type'": the queue exists, of another type; any other refusal is not that. */
    private static boolean refusedForItsType(IOException e) {
        return BusConnection.channelReplyCode(e) == AMQP.PRECONDITION_FAILED
                && BusConnection.reason(e).contains("'x-queue-type'");
    }

    private static void closeQuietly(Channel channel) {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.close();
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            LOG.debugf("closing a declaration channel: %s", e.getMessage());
        }
    }
}
