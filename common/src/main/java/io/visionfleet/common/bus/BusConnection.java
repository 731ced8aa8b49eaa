package io.visionfleet.common.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.concurrent.DaemonThreads;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The service's one AMQP connection. It declares every fleet exchange whenever it connects, so a consumer can bind
 * before the publisher has run.
 *
 * <p>It reconnects by itself, every {@code recovery-seconds} from start until the broker is there and again after it
 * went away, but it does not use the client's automatic recovery: a recovered channel silently replaces the one that
 * delivered, and an acknowledgement of the old channel's delivery tags on it fails or acknowledges the wrong message.
 * Instead, every channel dies with its connection, and its owner opens a new one when {@link #onConnected} tells it
 * the broker is back ({@link BusSubscription}, {@link BusPublisher}).
 */
@ApplicationScoped
public class BusConnection {
    private static final Logger LOG = Logger.getLogger(BusConnection.class);

    private final BusConfig config;
    private final String name;
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reconnects = DaemonThreads.scheduler("bus-connect");
    /** Whether this outage's connect failure was logged: once per outage, not every attempt. */
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private volatile Connection connection;
    private volatile String problem = "not connected yet";
    private boolean reconnectScheduled;
    private boolean stopped;

    @Inject
    public BusConnection(BusConfig config, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.config = config;
        this.name = AmqpClients.connectionName(service, AmqpClients.defaultReplica(), "bus");
    }

    /** Connects before the other start-up observers run, so their subscriptions usually find the broker at once. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        reconnect();
    }

    /** Runs after the publisher has sent what it holds ({@code LIBRARY_AFTER}), so stream.stopped still goes out. */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1) ShutdownEvent event) {
        close();
    }

    /** Closes the connection for good: no reconnect follows. */
    public void close() {
        Connection c;
        synchronized (this) {
            stopped = true;
            c = connection;
        }
        reconnects.shutdownNow();
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

    /** Why the connection is not open (the last connect failure or what closed it); null while it is open. */
    public String problem() {
        return isOpen() ? null : problem;
    }

    /**
     * A new channel on the current connection; the caller owns and closes it. Without a connection it connects now,
     * unless the reconnect thread is waiting to try again, and then fails at once with the reason. The channel dies
     * with the connection and is never recovered.
     */
    public Channel channel() throws IOException {
        return connect().createChannel();
    }

    /** Runs {@code listener} after every successful connect, on the thread that connected; it must not block. */
    public void onConnected(Runnable listener) {
        connectedListeners.add(listener);
    }

    public void removeConnectedListener(Runnable listener) {
        connectedListeners.remove(listener);
    }

    /** Waits up to {@code timeout} for the connection to be open; true if it is. */
    public synchronized boolean awaitOpen(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); !isOpen() && left > 0 && !stopped; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return isOpen();
    }

    /** The node connected to, or the configured ones while not connected. */
    public String describe() {
        Connection c = connection;
        if (c != null && c.isOpen()) {
            return c.getAddress().getHostAddress() + ":" + c.getPort();
        }
        return AmqpClients.describe(config);
    }

    private Connection connect() throws IOException {
        Connection c = connection;
        if (c != null && c.isOpen()) {
            return c;
        }
        synchronized (this) {
            if (stopped) {
                throw new IOException("the AMQP connection is closed: the service is stopping");
            }
            if (connection != null && connection.isOpen()) {
                return connection;
            }
            if (reconnectScheduled) {
                throw new IOException(problem); // the reconnect thread tries again soon: callers never pile up attempts
            }
            try {
                connection = open();
            } catch (IOException | TimeoutException | IllegalArgumentException e) {
                problem = "cannot connect to RabbitMQ at " + describe() + ": " + reason(e);
                scheduleReconnect();
                throw new IOException(problem, e);
            }
            problem = null;
            failureLogged.set(false);
            notifyAll();
        }
        LOG.infof("connected to RabbitMQ at %s as %s", describe(), name);
        connectedListeners.forEach(Runnable::run);
        return connection;
    }

    private Connection open() throws IOException, TimeoutException {
        Connection c = AmqpClients.open(config, config.heartbeat(), name);
        try (Channel ch = c.createChannel()) {
            for (String exchange : Exchanges.ALL) {
                ch.exchangeDeclare(exchange, "fanout", true);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            c.abort();
            throw e;
        }
        c.addShutdownListener(this::lost);
        return c;
    }

    private void lost(ShutdownSignalException cause) {
        if (cause.isInitiatedByApplication()) {
            return;
        }
        problem = "connection to RabbitMQ at " + describe() + " lost: " + reason(cause);
        LOG.warnf("%s; reconnecting every %d s", problem, config.recoverySeconds());
        scheduleReconnect();
    }

    /** One connect attempt on the reconnect thread; a failed one schedules the next. */
    private void reconnect() {
        synchronized (this) {
            reconnectScheduled = false;
        }
        try {
            connect();
        } catch (IOException e) {
            if (failureLogged.compareAndSet(false, true)) {
                LOG.warnf("%s; retrying every %d s until it is there", e.getMessage(), config.recoverySeconds());
            } else {
                LOG.debugf("%s; retrying in %d s", e.getMessage(), config.recoverySeconds());
            }
        }
    }

    private synchronized void scheduleReconnect() {
        if (stopped || reconnectScheduled) {
            return;
        }
        reconnectScheduled = true;
        reconnects.schedule(this::reconnect, config.recoverySeconds(), TimeUnit.SECONDS);
    }

    /** The client often wraps the useful message (the broker's reply, "Connection refused") in a cause. */
    public static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /**
     * The broker's reply code when {@code e} is its refusal of a channel operation (404 not found, 405 locked,
     * 406 precondition failed), which closes that channel only; 0 for anything else.
     */
    public static int channelReplyCode(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal && !signal.isHardError()
                && signal.getReason() instanceof AMQP.Channel.Close close ? close.getReplyCode() : 0;
    }
}
