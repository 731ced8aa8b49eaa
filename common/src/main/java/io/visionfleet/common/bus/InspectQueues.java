package io.visionfleet.common.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The {@code inspect.<exchange>} queues through which the management UI shows each fleet exchange's newest messages.
 * They hold copies for people to look at, so they live in the broker's memory, not on its disk: a lazy durable queue
 * wrote every per-frame message to disk and cost the broker about a sixth of a core at six streams, this costs about
 * what no queue does (docs/benchmarks.md). Being transient, a broker restart loses them; every service declares them
 * again whenever it connects (as it does the exchanges), so they come back with the first service.
 */
public final class InspectQueues {
    private static final Logger LOG = Logger.getLogger(InspectQueues.class);
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    /** The newest 1000 messages, at most 8 MiB of them; older ones are dropped. As in the definitions file. */
    public static final Map<String, Object> ARGUMENTS =
            Map.of("x-max-length", 1000, "x-max-length-bytes", 8 << 20, "x-overflow", "drop-head");

    private InspectQueues() {
    }

    public static String name(String exchange) {
        return "inspect." + exchange;
    }

    /**
     * Declares and binds the inspect queue of every fleet exchange, each on a channel of its own. They are a
     * convenience, so a refusal stops nothing: a queue of that name made by an earlier fleet (durable, lazy) is used as
     * it is, and a user the broker does not let make it goes without; each said once. Returns the queues refused.
     */
    public static List<String> declare(Connection connection) throws IOException, TimeoutException {
        List<String> kept = new ArrayList<>();
        for (String exchange : Exchanges.ALL) {
            String queue = name(exchange);
            try (Channel ch = connection.createChannel()) {
                ch.queueDeclare(queue, false, false, false, ARGUMENTS);
                ch.queueBind(queue, exchange, "");
            } catch (IOException e) {
                int refusal = BusConnection.channelReplyCode(e);
                if (refusal == 0) {
                    throw e;
                }
                kept.add(queue);
                if (REPORTED.add(queue)) {
                    LOG.warnf(refusal == AMQP.PRECONDITION_FAILED
                            ? "queue %s was made by an earlier fleet with other settings (%s): it is kept as it is;"
                                    + " delete it to have it made again in memory (docs/deploy.md)"
                            : "queue %s cannot be made (%s): the management UI will not show that exchange's messages",
                            queue, BusConnection.reason(e));
                }
            }
        }
        return kept;
    }
}
