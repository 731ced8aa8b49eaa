package io.visionfleet.ptz.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.ProcessedFrame;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Tracking results from {@code processed_frames_exchange} on a server-named, exclusive, auto-delete queue: PTZ control
 * wants the newest frame, never a backlog, so nothing is kept while the service is down. Malformed messages are logged
 * (the first few) and dropped; the consumer keeps going.
 */
public final class ProcessedFrameListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProcessedFrameListener.class);
    private static final int LOGGED_BAD = 5;
    /** Unacknowledged deliveries at most: a slow controller makes the broker hold (and the queue drop) old frames. */
    private static final int PREFETCH = 64;

    private final BusConnection bus;
    private final Consumer<ProcessedFrame> sink;
    private Channel channel;
    private long bad;

    public ProcessedFrameListener(BusConnection bus, Consumer<ProcessedFrame> sink) {
        this.bus = bus;
        this.sink = sink;
    }

    /** Binds and consumes; false (to be retried) while the broker is unreachable. */
    public synchronized boolean subscribe() {
        if (channel != null) {
            return true;
        }
        try {
            Channel ch = bus.channel();
            ch.basicQos(PREFETCH);
            String queue = ch.queueDeclare("", false, true, true,
                    java.util.Map.of("x-max-length", PREFETCH, "x-overflow", "drop-head")).getQueue();
            ch.queueBind(queue, Exchanges.PROCESSED_FRAMES, "");
            ch.basicConsume(queue, true, (tag, delivery) -> handle(delivery), tag -> { });
            channel = ch;
            LOG.infof("following %s (queue %s)", Exchanges.PROCESSED_FRAMES, queue);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot subscribe to %s yet: %s", Exchanges.PROCESSED_FRAMES, e.getMessage());
            return false;
        }
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
    public synchronized void close() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (Exception e) {
                LOG.debugf("closing processed-frame channel: %s", e.getMessage());
            }
        }
        channel = null;
    }
}
