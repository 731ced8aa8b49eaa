package io.visionfleet.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A publisher as the services are one (persistent messages, each waited on for its publisher confirm), sending ten a
 * second through one node into an exchange of its own: it tells how long the slowest confirm took, or has been
 * awaited so far, so a test can say whether a queue elsewhere in the cluster held the publishers up.
 */
final class ConfirmProbe implements AutoCloseable {
    static final String EXCHANGE = "faults.confirm_probe";
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    private final Connection connection;
    private final Thread thread;
    private final AtomicLong slowestNanos = new AtomicLong();
    /** {@link System#nanoTime()} when the confirm now awaited was asked for; 0 while none is. */
    private final AtomicLong awaitedSince = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopping;

    private ConfirmProbe(Connection connection, Channel ch) {
        this.connection = connection;
        this.thread = new Thread(() -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            try {
                while (!stopping) {
                    long start = System.nanoTime();
                    awaitedSince.set(start);
                    ch.basicPublish(EXCHANGE, "", MessageProperties.PERSISTENT_BASIC, body);
                    ch.waitForConfirmsOrDie(GIVE_UP.toMillis());
                    awaitedSince.set(0);
                    slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    Thread.sleep(INTERVAL.toMillis()); // paces the publishes; nothing waits on it
                }
            } catch (Exception e) {
                if (!stopping) {
                    failure.set(e);
                }
            }
        }, "confirm-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts publishing through {@code node}. */
    static ConfirmProbe start(Broker node) throws IOException, TimeoutException {
        Connection connection = node.connect();
        Channel ch = connection.createChannel();
        ch.exchangeDeclare(EXCHANGE, "fanout", true);
        ch.confirmSelect();
        return new ConfirmProbe(connection, ch);
    }

    /** The longest a confirm took, counting the one awaited now. */
    Duration slowest() {
        long since = awaitedSince.get();
        long waiting = since == 0 ? 0 : System.nanoTime() - since;
        return Duration.ofNanos(Math.max(slowestNanos.get(), waiting));
    }

    /** The first publish or confirm that failed (the broker refused it, or none came in minutes), null when none. */
    Exception failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        connection.abort();
        thread.join(GIVE_UP.toMillis());
    }
}
