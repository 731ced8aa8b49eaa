package io.visionfleet.common.consumer.ownership;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.AmqpClients;
import io.visionfleet.common.bus.BusConfig;
import io.visionfleet.common.bus.BusConnection;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * A replica's leases on the broker, all held by one AMQP connection of its own.
 *
 * <ul>
 *   <li>A stream's lease is the exclusive queue {@code fleet.lease.<group>.<stream>}: only one connection can
 *   declare it, and the broker deletes it when that connection closes or misses its heartbeats. Declaring it is
 *   claiming the stream; a refusal (RESOURCE_LOCKED) means another replica owns it.</li>
 *   <li>Membership is the consumer count of the shared queue {@code fleet.replicas.<group>}: each replica keeps one
 *   consumer on it, which the broker drops together with the connection.</li>
 *   <li>Capacity is the consumer count of {@code fleet.capacity.<group>}: each replica keeps one consumer there per
 *   stream it can carry at full rate, so one passive declare tells a replica the group's total.</li>
 * </ul>
 * The connection does not recover by itself: when it dies, its leases are gone, and the owner of this object must
 * stop its streams before it opens a new one. The membership and capacity queues are shared and live on one node of a
 * cluster: when that node goes, the broker deletes them, and each replica declares them again on a new channel of its
 * own connection and rejoins, keeping its leases (exclusive queues on its own connection's node).
 */
final class Leases implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Leases.class);
    /** Nobody publishes to the membership queue; it goes away this long after the last replica left. */
    private static final Map<String, Object> MEMBERSHIP_ARGS = Map.of("x-expires", 600_000);
    private static final Duration MIN_RPC_TIMEOUT = Duration.ofSeconds(10);

    private final BusConfig bus;
    private final OwnershipSettings settings;
    private final Runnable onLost;
    private Connection connection;
    private Channel membership;
    /** Set when the broker cancelled the membership consumer: its queue was deleted (its node went). */
    private volatile boolean cancelled;
    private Channel claims;
    private final Deque<String> capacityTags = new ArrayDeque<>();

    /** {@code onLost} runs on the client's thread when an open connection closes for any reason but {@link #close()}. */
    Leases(BusConfig bus, OwnershipSettings settings, Runnable onLost) {
        this.bus = bus;
        this.settings = settings;
        this.onLost = onLost;
    }

    /**
     * How long a call to the broker may wait for its answer: the lease period, about twice the heartbeat, but at least
     * ten seconds (a loaded node can take seconds). Seen on a 3-node cluster while a restarted node's queues were
     * being removed: a declare of the membership queue went unanswered, heartbeats flowing, and the ownership rounds
     * stopped for minutes; now the round fails, and the next one rejoins on a new channel.
     */
    private Duration rpcTimeout() {
        Duration leasePeriod = settings.heartbeat().multipliedBy(2);
        return leasePeriod.compareTo(MIN_RPC_TIMEOUT) > 0 ? leasePeriod : MIN_RPC_TIMEOUT;
    }

    static String leaseQueue(String group, String streamId) {
        return "fleet.lease." + group + "." + streamId;
    }

    static String membershipQueue(String group) {
        return "fleet.replicas." + group;
    }

    static String capacityQueue(String group) {
        return "fleet.capacity." + group;
    }

    /** True while the connection, and with it every lease, is open; otherwise {@link #open()} again. */
    boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /**
     * Connects and joins the group; the connection is named {@code <group>/<replica>/leases} in the RabbitMQ UI. It
     * does not recover by itself: a recovered connection would re-declare leases that another replica may own by now.
     */
    void open() throws IOException {
        close();
        Connection c = AmqpClients.open(bus, settings.heartbeat(), rpcTimeout(),
                AmqpClients.connectionName(settings.group(), settings.replicaId(), "leases"));
        try {
            join(c);
        } catch (IOException | RuntimeException e) {
            c.abort();
            throw e;
        }
        c.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warnf("lease connection of %s lost (%s): its streams are released", settings.replicaId(), cause.getMessage());
                onLost.run();
            }
        });
        connection = c;
        LOG.infof("replica %s joined stream group %s (heartbeat %d s)", settings.replicaId(), settings.group(),
                settings.heartbeat().toSeconds());
    }

    /** Declares the group's shared queues on a new channel of {@code c} and joins: one consumer on the membership queue. */
    private void join(Connection c) throws IOException {
        if (membership != null && membership.isOpen()) {
            membership.abort(); // its consumers went with the deleted queues
        }
        Channel ch = c.createChannel();
        String queue = membershipQueue(settings.group());
        try {
            ch.queueDeclare(queue, false, false, false, MEMBERSHIP_ARGS);
            ch.queueDeclare(capacityQueue(settings.group()), false, false, false, MEMBERSHIP_ARGS);
            cancelled = false;
            ch.basicConsume(queue, true, settings.replicaId(), (tag, delivery) -> { }, tag -> cancelled = true);
        } catch (IOException | RuntimeException e) {
            ch.abort(); // a call that timed out may still be answered: the channel is not reused
            throw e;
        }
        membership = ch;
        capacityTags.clear();
    }

    /**
     * Live replicas of the group, this one included. When the shared queues went with their node, the broker cancels
     * this replica's membership consumer, or the passive declare's 404 closes its channel (the connection stays):
     * this replica then declares them again and rejoins, as every other replica does on its next round, so the count
     * is low for a round at most.
     */
    int replicas() throws IOException {
        if (cancelled) {
            rejoin("its membership consumer was cancelled");
        }
        try {
            return membership.queueDeclarePassive(membershipQueue(settings.group())).getConsumerCount();
        } catch (IOException | RuntimeException gone) {
            if (!isOpen()) {
                throw gone;
            }
            rejoin(gone.getCause() != null ? gone.getCause().getMessage() : gone.getMessage());
            return membership.queueDeclarePassive(membershipQueue(settings.group())).getConsumerCount();
        }
    }

    private void rejoin(String why) throws IOException {
        LOG.infof("replica %s rejoins stream group %s: its shared queues are gone (%s)", settings.replicaId(),
                settings.group(), why);
        join(connection);
    }

    /** Says that this replica carries {@code streams} streams at full rate: that many consumers on the capacity queue. */
    void advertiseCapacity(int streams) throws IOException {
        while (capacityTags.size() < streams) {
            capacityTags.push(membership.basicConsume(capacityQueue(settings.group()), true,
                    settings.replicaId() + "#" + capacityTags.size(), (tag, delivery) -> { }, tag -> { }));
        }
        while (capacityTags.size() > streams) {
            membership.basicCancel(capacityTags.pop());
        }
    }

    /** Streams the group's live replicas carry at full rate, by what each advertised. */
    int groupCapacity() throws IOException {
        return membership.queueDeclarePassive(capacityQueue(settings.group())).getConsumerCount();
    }

    /** Claims {@code streamId}; false when another replica holds its lease. */
    boolean tryClaim(String streamId) throws IOException {
        if (claims == null || !claims.isOpen()) {
            claims = connection.createChannel();
        }
        try {
            claims.queueDeclare(leaseQueue(settings.group(), streamId), false, true, true, null);
            return true;
        } catch (IOException e) {
            if (BusConnection.channelReplyCode(e) == AMQP.RESOURCE_LOCKED) {
                return false; // the broker closed the claims channel; the next claim opens another
            }
            throw e;
        }
    }

    /** Gives {@code streamId}'s lease up, so another replica can claim it at once. */
    void release(String streamId) throws IOException {
        if (claims == null || !claims.isOpen()) {
            claims = connection.createChannel();
        }
        claims.queueDelete(leaseQueue(settings.group(), streamId));
    }

    /** Closes the connection, which gives every lease up at once. */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        membership = null;
        claims = null;
        capacityTags.clear();
        if (c != null && c.isOpen()) {
            try {
                c.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing lease connection: %s", e.getMessage());
            }
        }
    }
}
