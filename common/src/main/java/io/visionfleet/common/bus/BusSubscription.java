package io.visionfleet.common.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.visionfleet.common.concurrent.DaemonThreads;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One consumer on a channel of its own, through broker restarts: the setup (declare, bind, consume) is retried until
 * it succeeds, and runs again on a new channel whenever the subscribed channel closes (the broker went away, or the
 * owner closed it with {@link #renew}). Acknowledgements belong to the channel that delivered: a consumer that acks
 * manually must ack on the {@link Channel} its setup was given and drop what it holds of a channel that is gone, whose
 * unacknowledged messages the broker redelivers on the next one.
 *
 * <p>Each kind of failure is logged once as a warning and only at debug after that, so a broker that stays down does
 * not flood the log. A failed setup's channel is closed, so a half-done setup leaves nothing.
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
    private final Runnable onConnected = () -> scheduleAttempt(Duration.ZERO);
    private ScheduledExecutorService retries;
    private ScheduledFuture<?> next;
    private Duration retry;
    private volatile Channel channel;
    private volatile boolean closed;

    /** {@code name} names the retry thread and labels the log lines. */
    public BusSubscription(String name, BusConnection bus, Setup setup) {
        this.name = name;
        this.bus = bus;
        this.setup = setup;
    }

    /**
     * Subscribes on a daemon thread of its own, again every {@code retry} until it succeeds, at once when the
     * connection comes back, and again after every loss of the channel, until closed.
     */
    public synchronized void start(Duration retry) {
        if (closed || retries != null) {
            throw new IllegalStateException(name + " was started or closed already");
        }
        this.retry = retry;
        retries = DaemonThreads.scheduler(name);
        bus.onConnected(onConnected);
        scheduleAttempt(Duration.ZERO);
    }

    /**
     * One attempt, for a caller that schedules its own retries: true once subscribed, false while the broker is
     * unreachable or the setup fails, and after {@link #close()}. After a loss of the channel it subscribes again.
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
                    reported.clear();
                    Channel subscribed = ch;
                    ch.addShutdownListener(cause -> lost(subscribed, cause));
                    if (ch.isOpen()) {
                        return true;
                    }
                    channel = null; // it closed before the listener was there
                    return false;
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

    /**
     * Closes {@code ch}, which requeues its unacknowledged messages; a new channel subscribes after the retry interval.
     * For a consumer that cannot go on with what it was given. Also while the setup still runs on {@code ch}, before
     * this subscription has recorded it: deliveries start with the setup's first consume, and a channel left open
     * there would keep its messages unacknowledged for good. A channel already replaced is closed already.
     */
    public void renew(Channel ch) {
        closeQuietly(ch);
    }

    /** Stops retrying and closes the channel, which ends its consumers. */
    @Override
    public void close() {
        Channel ch;
        synchronized (this) {
            closed = true;
            bus.removeConnectedListener(onConnected);
            if (retries != null) {
                retries.shutdownNow();
            }
            ch = channel;
            channel = null;
        }
        closeQuietly(ch);
    }

    private void lost(Channel ch, ShutdownSignalException cause) {
        synchronized (this) {
            if (ch != channel || closed) {
                return;
            }
            channel = null;
        }
        LOG.infof("%s lost its channel (%s); subscribing again on a new one", name, BusConnection.reason(cause));
        scheduleAttempt(retry == null ? Duration.ZERO : retry);
    }

    /** Replaces any pending attempt, so there is never more than one retry chain. */
    private synchronized void scheduleAttempt(Duration delay) {
        if (closed || retries == null || active()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = retries.schedule(this::attemptOrRetry, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void attemptOrRetry() {
        if (!subscribe()) {
            scheduleAttempt(retry);
        }
    }

    private void report(Exception e) {
        String reason = BusConnection.reason(e);
        if (reported.add(e.getClass().getName() + ": " + reason)) {
            LOG.warnf("%s cannot subscribe yet (%s); retrying, and logging this failure only once", name, reason);
        } else {
            LOG.debugf("%s cannot subscribe yet (%s)", name, reason);
        }
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
