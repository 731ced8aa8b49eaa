package io.visionfleet.ptz.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.BusSubscription;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.consumer.FollowedStreamsFeed;
import io.visionfleet.common.messages.ProcessedFrame;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tracking results of the cameras' streams from {@code processed_frames_exchange}, routed by stream
 * ({@link FollowedStreamsFeed}: no other stream's results reach the service), on a server-named, exclusive,
 * auto-delete queue: PTZ control wants the newest frame, never a backlog, so nothing is kept while the service is
 * down. Malformed messages are logged (the first few) and dropped; the consumer keeps going.
 */
public final class ProcessedFrameListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProcessedFrameListener.class);
    private static final int LOGGED_BAD = 5;
    /** Unacknowledged deliveries at most: a slow controller makes the broker hold (and the queue drop) old frames. */
    private static final int PREFETCH = 64;

    private final BusSubscription subscription;
    private final FollowedStreamsFeed feed;
    private final Consumer<ProcessedFrame> sink;
    private long bad;

    /** Results of {@code streams} go to {@code sink}. */
    public ProcessedFrameListener(BusConnection bus, Collection<String> streams, Consumer<ProcessedFrame> sink) {
        this.subscription = new BusSubscription("ptz-processed-frames", bus, this::consume);
        this.feed = FollowedStreamsFeed.of(Exchanges.PROCESSED_FRAMES, streams);
        this.sink = sink;
    }

    /** Binds and consumes; false (to be retried by the caller) while the broker is unreachable. */
    public boolean subscribe() {
        return subscription.subscribe();
    }

    private void consume(Channel ch) throws IOException {
        ch.basicQos(PREFETCH);
        String queue = feed.declare(ch, Map.of("x-max-length", PREFETCH, "x-overflow", "drop-head"));
        ch.basicConsume(queue, true, (tag, delivery) -> handle(delivery), tag -> { });
        LOG.infof("following %s for streams %s (queue %s)", Exchanges.PROCESSED_FRAMES, feed.streams(), queue);
    }

    void handle(Delivery delivery) {
        ProcessedFrame frame;
        try {
            frame = Json.MAPPER.readValue(delivery.getBody(), ProcessedFrame.class);
        } catch (IOException e) {
            if (bad++ < LOGGED_BAD) {
                LOG.warnf("ignoring malformed processed frame (%d so far): %s", bad, e.getMessage());
            }
            return;
        }
        if (frame.streamId() == null) {
            return;
        }
        try {
            sink.accept(frame);
        } catch (RuntimeException e) {
            LOG.warnf("processed frame %s/%d not applied: %s", frame.streamId(), frame.frameNumber(), e.getMessage());
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
