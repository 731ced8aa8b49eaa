package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import io.visionfleet.common.concurrent.DaemonThreads;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One consumer on its own channel, for services that start before the broker: the setup (declare, bind, consume)
 * is retried until it succeeds once; after that the client's automatic recovery keeps the subscription through
 * broker restarts. Each kind of failure is logged once as a warning and only at debug after that, so a broker
 * that stays down does not flood the log. A failed setup's channel is closed, so a half-done setup leaves nothing.
 */
public final class BusSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BusSubscription.class);

    /** Declares, binds and consumes on the subscription's channel. */
    @FunctionalInterface
    public interface Setup {
        void subscribe(Channel channel) throws IOException;
    }

    private final String name;
    private final BusConnection bus;
    private final Setup setup;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Held for a whole attempt, so concurrent callers of {@link #subscribe()} never open two channels. */
    private final Object attempt = new Object();
    private ScheduledExecutorService retries;
    private volatile Channel channel;
    private volatile boolean closed;

    /** {@code name} names the retry thread and labels the log lines. */
    public BusSubscription(String name, BusConnection bus, Setup setup) {
        this.name = name;
        this.bus = bus;
        this.setup = setup;
    }

    /** Subscribes on a daemon thread of its own, again every {@code retry} until it succeeds or is closed. */
    public synchronized void start(Duration retry) {
        if (closed || retries != null) {
            throw new IllegalStateException(name + " was started or closed already");
        }
        retries = DaemonThreads.scheduler(name);
        retries.execute(() -> subscribeOrRetry(retry));
    }

    /**
     * One attempt, for a caller that schedules its own retries: true once subscribed, false while the broker is
     * unreachable or the setup fails, and after {@link #close()}.
     */
    public boolean subscribe() {
        synchronized (attempt) {
            if (closed) {
                return false;
            }
            if (channel != null) {
                return true;
            }
            Channel ch = null;
            try {
                ch = bus.channel();
                setup.subscribe(ch);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                if (!closed) {
                    report(e);
                }
                return false;
            }
            synchronized (this) {
                if (!closed) {
                    channel = ch;
                    return true;
                }
            }
            closeQuietly(ch); // closed while the setup ran
            return false;
        }
    }

    /** True while subscribed on an open channel. */
    public boolean active() {
        Channel ch = channel;
        return ch != null && ch.isOpen();
    }

    /** Stops retrying and closes the channel, which ends its consumers. */
    @Override
    public void close() {
        Channel ch;
        synchronized (this) {
            closed = true;
            if (retries != null) {
                retries.shutdownNow();
            }
            ch = channel;
            channel = null;
        }
        closeQuietly(ch);
    }

    private void subscribeOrRetry(Duration retry) {
        if (subscribe()) {
            return;
        }
        synchronized (this) { // close() shuts the executor down under this lock: never schedule on a dead one
            if (!closed) {
                retries.schedule(() -> subscribeOrRetry(retry), retry.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void report(Exception e) {
        String reason = reason(e);
        if (reported.add(e.getClass().getName() + ": " + reason)) {
            LOG.warnf("%s cannot subscribe yet (%s); retrying, and logging this failure only once", name, reason);
        } else {
            LOG.debugf("%s cannot subscribe yet (%s)", name, reason);
        }
    }

    /** The client wraps a channel error in an IOException without a message; the broker's reply is in its cause. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private void closeQuietly(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("%s: closing the channel: %s", name, e.getMessage());
            }
        }
    }
}
