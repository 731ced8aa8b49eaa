package io.visionfleet.common.consumer.ownership;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.visionfleet.common.bus.AmqpClients;
import io.visionfleet.common.bus.BusConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
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
 * </ul>
 * The connection does not recover by itself: when it dies, its leases are gone, and the owner of this object must
 * stop its streams before it opens a new one.
 */
final class Leases implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Leases.class);
    /** Nobody publishes to the membership queue; it goes away this long after the last replica left. */
    private static final Map<String, Object> MEMBERSHIP_ARGS = Map.of("x-expires", 600_000);

    private final BusConfig bus;
    private final OwnershipSettings settings;
    private final Runnable onLost;
    private Connection connection;
    private Channel membership;
    private Channel claims;

    /** {@code onLost} runs on the client's thread when an open connection closes for any reason but {@link #close()}. */
    Leases(BusConfig bus, OwnershipSettings settings, Runnable onLost) {
        this.bus = bus;
        this.settings = settings;
        this.onLost = onLost;
    }

    static String leaseQueue(String group, String streamId) {
        return "fleet.lease." + group + "." + streamId;
    }

    static String membershipQueue(String group) {
        return "fleet.replicas." + group;
    }

    /** True while the connection and the membership consumer's channel are open; otherwise {@link #open()} again. */
    boolean isOpen() {
        Connection c = connection;
        Channel m = membership;
        return c != null && c.isOpen() && m != null && m.isOpen();
    }

    /**
     * Connects and joins the group; the connection is named {@code <group>/<replica>/leases} in the RabbitMQ UI. It
     * does not recover by itself: a recovered connection would re-declare leases that another replica may own by now.
     */
    void open() throws IOException {
        close();
        Connection c = AmqpClients.open(bus, settings.heartbeat(),
                AmqpClients.connectionName(settings.group(), settings.replicaId(), "leases"));
        try {
            Channel ch = c.createChannel();
            String queue = membershipQueue(settings.group());
            ch.queueDeclare(queue, false, false, false, MEMBERSHIP_ARGS);
            ch.basicConsume(queue, true, settings.replicaId(), (tag, delivery) -> { }, tag -> { });
            membership = ch;
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

    /** Live replicas of the group, this one included. */
    int replicas() throws IOException {
        return membership.queueDeclarePassive(membershipQueue(settings.group())).getConsumerCount();
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
            if (e.getCause() instanceof ShutdownSignalException signal && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.RESOURCE_LOCKED) {
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
        if (c != null && c.isOpen()) {
            try {
                c.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing lease connection: %s", e.getMessage());
            }
        }
    }
}
