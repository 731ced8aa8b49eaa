package io.visionfleet.common.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes message records as JSON to fanout exchanges. One channel, guarded by a lock, because AMQP
 * channels must not be shared by concurrent publishers. A failed publish is counted and logged, never thrown
 * into the frame path: results are live data and the next frame brings fresh ones.
 */
@ApplicationScoped
public class BusPublisher {
    private static final Logger LOG = Logger.getLogger(BusPublisher.class);
    private static final AMQP.BasicProperties JSON = new AMQP.BasicProperties.Builder()
            .contentType("application/json").deliveryMode(1).build();

    private final BusConnection bus;
    private final AtomicLong failures = new AtomicLong();
    private Channel channel;

    public BusPublisher(BusConnection bus) {
        this.bus = bus;
    }

    /** Serialises {@code message} and publishes it; returns false (and counts) when the broker is unavailable. */
    public boolean publish(String exchange, Object message) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message not serialisable: " + message.getClass(), e);
        }
        synchronized (this) {
            try {
                if (channel == null || !channel.isOpen()) {
                    channel = bus.channel();
                }
                channel.basicPublish(exchange, "", JSON, body);
                return true;
            } catch (IOException | RuntimeException e) {
                if (failures.incrementAndGet() == 1 || failures.get() % 1000 == 0) {
                    LOG.warnf("publish to %s failed (%d failures so far): %s", exchange, failures.get(), e.getMessage());
                }
                channel = null;
                return false;
            }
        }
    }

    public long failures() {
        return failures.get();
    }

    synchronized void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (Exception e) {
                LOG.debugf("closing publish channel: %s", e.getMessage());
            }
        }
    }
}
