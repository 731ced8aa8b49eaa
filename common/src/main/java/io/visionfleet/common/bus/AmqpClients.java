package io.visionfleet.common.bus;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Opens the fleet's own AMQP connections ({@link BusConnection}'s, the stream leases'): to the configured broker, or
 * to one node of the configured cluster ({@code fleet.rabbitmq.addresses}), taking the next when a node refuses, and
 * named {@code <service>/<replica>/<purpose>} so that the RabbitMQ UI shows whose each connection is. None recovers
 * by itself: its owner reconnects, and reaches whichever node is up then.
 */
public final class AmqpClients {
    private static final int AMQP_PORT = 5672;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private AmqpClients() {
    }

    /** Opens a connection named {@code name}, with {@code heartbeat} (whole seconds, at least 1). */
    public static Connection open(BusConfig config, Duration heartbeat, String name) throws IOException {
        return open(config, heartbeat, Duration.ofMillis(ConnectionFactory.DEFAULT_CHANNEL_RPC_TIMEOUT), name);
    }

    /**
     * The same, with each call that waits for the broker's answer (a declare, a consume, opening a channel) failing
     * with an {@link IOException} after {@code rpcTimeout}: a broker can leave one unanswered while its heartbeats
     * still flow, and the client would wait ten minutes by default.
     */
    public static Connection open(BusConfig config, Duration heartbeat, Duration rpcTimeout, String name) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setChannelRpcTimeout((int) rpcTimeout.toMillis());
        factory.setUsername(config.username());
        factory.setPassword(config.password());
        factory.setVirtualHost(config.virtualHost());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        factory.setRequestedHeartbeat((int) Math.max(1, heartbeat.toSeconds()));
        try {
            // in random order, as the client's recovering path does and its plain one does not: the fleet's connections
            // spread over a cluster's nodes instead of all landing on the first listed, and losing it together
            List<Address> nodes = new ArrayList<>(addresses(config));
            Collections.shuffle(nodes);
            return factory.newConnection(nodes, name);
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ connect timed out at " + describe(config), e);
        }
    }

    /**
     * The nodes to try: {@code fleet.rabbitmq.addresses} ({@code host:port} separated by commas, the port 5672 when
     * left out) when set, else {@code host} and {@code port}.
     */
    public static List<Address> addresses(BusConfig config) {
        List<String> listed = config.addresses().orElse(List.of()).stream().map(String::trim).filter(a -> !a.isEmpty())
                .toList();
        if (listed.isEmpty()) {
            return List.of(new Address(config.host(), config.port()));
        }
        return listed.stream().map(AmqpClients::address).toList();
    }

    /** The nodes as configured, for messages: {@code host:port[,host:port...]}. */
    public static String describe(BusConfig config) {
        return addresses(config).stream().map(a -> a.getHost() + ":" + a.getPort()).collect(Collectors.joining(","));
    }

    /** {@code <service>/<replica>/<purpose>}, as the RabbitMQ UI lists connections. */
    public static String connectionName(String service, String replica, String purpose) {
        return service + "/" + replica + "/" + purpose;
    }

    /** Host name (the pod or container name in a cluster) and process id: unique on one host and across hosts. */
    public static String defaultReplica() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "replica";
            }
        }
        String id = host.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + ProcessHandle.current().pid();
        return NAME_PART.matcher(id).matches() ? id : "replica-" + ProcessHandle.current().pid();
    }

    private static Address address(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon < 0) {
            return new Address(entry, AMQP_PORT);
        }
        String host = entry.substring(0, colon);
        try {
            int port = Integer.parseInt(entry.substring(colon + 1));
            if (!host.isEmpty() && port > 0 && port < 65536) {
                return new Address(host, port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("fleet.rabbitmq.addresses: '" + entry + "' is not host:port");
    }
}
