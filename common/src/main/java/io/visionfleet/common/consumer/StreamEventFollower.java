package io.visionfleet.common.consumer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.BusSubscription;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.log.LogBudget;
import io.visionfleet.common.messages.StreamEvent;
import io.visionfleet.common.stream.StreamIds;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Starts and stops pulling streams as the relay announces them on {@code stream_events_exchange}. It listens on
 * a server-named, exclusive, auto-delete queue: stream events are live state, and a service that was down starts
 * again from its configured streams. Streams pinned in config are never unfollowed, only retried at once when
 * they start. After a broker restart the subscription declares a new queue and binding on a new channel.
 * Announced streams go to the consumer directly or, with several replicas, through stream ownership.
 */
public final class StreamEventFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamEventFollower.class);

    private final Consumer<String> onStarted;
    private final Consumer<String> onStopped;
    private final Set<String> pinned;
    private final BusSubscription subscription;
    private final LogBudget limitLog = new LogBudget(1, Duration.ofMinutes(1));

    /** Follows announced streams on {@code consumer} itself: every replica pulls every stream. */
    public StreamEventFollower(BusConnection bus, RtspConsumer<?> consumer, Set<String> pinned) {
        this(bus, consumer::follow, consumer::unfollow, pinned);
    }

    /** Hands started streams to {@code onStarted} and stopped ones, unless pinned, to {@code onStopped}. */
    public StreamEventFollower(BusConnection bus, Consumer<String> onStarted, Consumer<String> onStopped, Set<String> pinned) {
        this.onStarted = onStarted;
        this.onStopped = onStopped;
        this.pinned = Set.copyOf(pinned);
        this.subscription = new BusSubscription("stream-events", bus, this::consume);
    }

    /** Binds a queue and starts consuming; false (to be retried) while the broker is unreachable. */
    boolean subscribe() {
        return subscription.subscribe();
    }

    /** Subscribes on its own thread, retrying every {@code retry}, and again after every broker restart. */
    public void start(Duration retry) {
        subscription.start(retry);
    }

    private void consume(Channel ch) throws IOException {
        String queue = ch.queueDeclare().getQueue();
        ch.queueBind(queue, Exchanges.STREAM_EVENTS, "");
        ch.basicConsume(queue, true, (tag, delivery) -> handle(delivery), tag -> { });
        LOG.infof("following stream events on %s (queue %s)", Exchanges.STREAM_EVENTS, queue);
    }

    void handle(Delivery delivery) {
        StreamEvent event;
        try {
            event = Json.MAPPER.readValue(delivery.getBody(), StreamEvent.class);
        } catch (IOException e) {
            LOG.warnf("ignoring malformed stream event (%s): %s", e.getMessage(), preview(delivery.getBody()));
            return;
        }
        if (!StreamIds.isValid(event.streamId())) {
            LOG.warnf("ignoring stream event with invalid stream id: %s", preview(delivery.getBody()));
            return;
        }
        try {
            if (StreamEvent.STARTED.equals(event.event()) || StreamEvent.ACTIVE.equals(event.event())) {
                onStarted.accept(event.streamId());
            } else if (StreamEvent.STOPPED.equals(event.event()) && !pinned.contains(event.streamId())) {
                onStopped.accept(event.streamId());
            }
        } catch (RtspConsumer.FollowLimitReached e) {
            // the relay re-announces active streams, so the same refusal comes back every announce interval
            limitLog.log(LOG, Logger.Level.WARN, "%s", e.getMessage());
        } catch (IllegalStateException e) {
            LOG.debugf("stream event for %s after shutdown began: %s", event.streamId(), e.getMessage());
        }
    }

    @Override
    public void close() {
        subscription.close();
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? text + "..." : text;
    }
}
