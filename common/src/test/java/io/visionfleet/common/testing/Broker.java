package io.visionfleet.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.visionfleet.common.bus.BusConfig;
import io.visionfleet.common.bus.Json;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The RabbitMQ broker tests run against: a node of their own when {@value #OWN_NODE_PORT} names its port on this
 * machine, else the local one when 127.0.0.1:5672 accepts connections, otherwise a Testcontainers RabbitMQ started once
 * per JVM (needs Docker). Tests observe exchanges through {@link Tap}s. On the local broker each module's tests have a
 * virtual host of their own ({@link TestVirtualHost}).
 */
public final class Broker {
    /** System property: the AMQP port of a RabbitMQ node on 127.0.0.1 that the JVM's tests have to themselves. */
    public static final String OWN_NODE_PORT = "fleet.test.own-broker-port";
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5672;
    private static Broker instance;

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String virtualHost;

    private Broker(String host, int port, String username, String password, String virtualHost) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
    }

    /** The broker of this test JVM, started on first use when no local one listens. */
    public static synchronized Broker get() {
        if (instance == null) {
            String ownPort = System.getProperty(OWN_NODE_PORT);
            if (ownPort != null) {
                instance = new Broker(LOCAL_HOST, Integer.parseInt(ownPort), "guest", "guest", TestVirtualHost.current());
            } else {
                instance = localListens()
                        ? new Broker(LOCAL_HOST, LOCAL_PORT, "guest", "guest", TestVirtualHost.current())
                        : startContainer();
            }
        }
        return instance;
    }

    /** Settings of a broker at {@code host:port}, which need not exist: for units that only read settings. */
    public static Broker at(String host, int port) {
        return new Broker(host, port, "guest", "guest", "/");
    }

    /** This broker's settings, reached at {@code host:port} instead: through a relay such as {@link AnswerWithholdingProxy}. */
    public Broker via(String host, int port) {
        return new Broker(host, port, username, password, virtualHost);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String virtualHost() {
        return virtualHost;
    }

    /** {@code fleet.rabbitmq.*} properties that point a service at this broker. */
    public Map<String, String> quarkusConfig() {
        return Map.of("fleet.rabbitmq.host", host, "fleet.rabbitmq.port", Integer.toString(port),
                "fleet.rabbitmq.username", username, "fleet.rabbitmq.password", password,
                TestVirtualHost.PROPERTY, virtualHost);
    }

    /** Settings of a service's bus connection to this broker, reconnecting after a second (tests restart fast). */
    public BusConfig busConfig() {
        return busConfig(List.of());
    }

    /** The same, with {@code fleet.rabbitmq.addresses} set to {@code addresses} when there are any. */
    public BusConfig busConfig(List<String> addresses) {
        return new BusConfig() {
            public String host() { return Broker.this.host(); }
            public int port() { return Broker.this.port(); }
            public Optional<List<String>> addresses() { return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses); }
            public String username() { return Broker.this.username(); }
            public String password() { return Broker.this.password(); }
            public String virtualHost() { return Broker.this.virtualHost(); }
            public int recoverySeconds() { return 1; }
            public Duration heartbeat() { return Duration.ofSeconds(10); }
            public OutboxConfig outbox() {
                return new OutboxConfig() {
                    public int maxMessages() { return 20_000; }
                    public long maxBytes() { return 32L << 20; }
                    public Duration maxAge() { return Duration.ofSeconds(180); }
                    public Duration confirmTimeout() { return Duration.ofSeconds(10); }
                    public Duration linger() { return Duration.ofMillis(10); }
                };
            }
        };
    }

    /** A new connection of the test's own, outside any service. */
    public Connection connect() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        return factory.newConnection("vision-fleet-test");
    }

    /** Binds a server-named auto-delete queue to fanout {@code exchange} (declared if missing) and collects its messages. */
    public Tap tap(String exchange) throws IOException, TimeoutException {
        return new Tap(connect(), exchange);
    }

    /** Messages of one exchange as they arrive, from the moment the tap was bound. */
    public static final class Tap implements AutoCloseable {
        private final Connection connection;
        private final Channel channel;
        private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

        private Tap(Connection connection, String exchange) throws IOException {
            this.connection = connection;
            this.channel = connection.createChannel();
            channel.exchangeDeclare(exchange, "fanout", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "");
            channel.basicConsume(queue, true, (tag, delivery) -> messages.add(delivery.getBody()), tag -> { });
        }

        /** The first message matching {@code match} within {@code timeout}; fails the test otherwise. */
        public JsonNode poll(Duration timeout, Predicate<JsonNode> match) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                byte[] body = messages.poll(left, TimeUnit.NANOSECONDS);
                if (body == null) {
                    break;
                }
                JsonNode node = parse(body);
                if (node != null && match.test(node)) {
                    return node;
                }
            }
            throw new AssertionError("no matching message within " + timeout);
        }

        /** Publishes raw bytes to an exchange, e.g. a malformed message a service must survive. */
        public void publishRaw(String exchange, byte[] body) throws IOException {
            publishRaw(exchange, "", body);
        }

        /** With a routing key, as the fleet's publishers set it: the stream id. */
        public void publishRaw(String exchange, String routingKey, byte[] body) throws IOException {
            channel.basicPublish(exchange, routingKey, null, body);
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }

        private static JsonNode parse(byte[] body) {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Whether the local broker lets guest into {@code virtualHost}. */
    static boolean localAdmits(String virtualHost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(LOCAL_HOST);
        factory.setPort(LOCAL_PORT);
        factory.setVirtualHost(virtualHost);
        try (Connection ignored = factory.newConnection("vision-fleet-test-vhost-check")) {
            return true;
        } catch (IOException | TimeoutException e) {
            return false;
        }
    }

    static boolean localListens() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOCAL_HOST, LOCAL_PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Broker startContainer() {
        RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse("rabbitmq:3.13-management"));
        container.start(); // stopped by Testcontainers' reaper when the JVM exits
        return new Broker(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
                container.getAdminPassword(), "/");
    }
}
