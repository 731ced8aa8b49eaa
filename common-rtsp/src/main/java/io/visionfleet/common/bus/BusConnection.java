package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The service's one AMQP connection. It declares every fleet exchange on start, so a consumer can bind
 * before the publisher has run. The client's automatic recovery reconnects after a broker restart; until the
 * first connect succeeds, {@link #channel()} keeps retrying so a service can start before the broker.
 */
@ApplicationScoped
public class BusConnection {
    private static final Logger LOG = Logger.getLogger(BusConnection.class);

    private final BusConfig config;
    private volatile Connection connection;

    public BusConnection(BusConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            connect();
        } catch (IOException | TimeoutException e) {
            LOG.warnf("RabbitMQ at %s:%d not reachable yet (%s); will retry on first use",
                    config.host(), config.port(), e.getMessage());
        }
    }

    /** Runs after the application's own shutdown observers, so their last messages (stream.stopped) still go out. */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        Connection c = connection;
        if (c != null && c.isOpen()) {
            try {
                c.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing AMQP connection: %s", e.getMessage());
            }
        }
    }

    /** True while the connection to the broker is open. */
    public boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** A new channel on the shared connection; the caller owns and closes it. */
    public Channel channel() throws IOException {
        try {
            return connect().createChannel();
        } catch (TimeoutException e) {
            throw new IOException("RabbitMQ connect timed out", e);
        }
    }

    public String describe() {
        return config.host() + ":" + config.port();
    }

    private synchronized Connection connect() throws IOException, TimeoutException {
        if (connection != null) {
            return connection;
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setUsername(config.username());
        factory.setPassword(config.password());
        factory.setVirtualHost(config.virtualHost());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(config.recoverySeconds() * 1000L);
        factory.setConnectionTimeout(5000);
        Connection c = factory.newConnection("vision-fleet");
        try (Channel ch = c.createChannel()) {
            for (String exchange : Exchanges.ALL) {
                ch.exchangeDeclare(exchange, "fanout", true);
            }
        }
        LOG.infof("connected to RabbitMQ at %s", describe());
        connection = c;
        return c;
    }
}
