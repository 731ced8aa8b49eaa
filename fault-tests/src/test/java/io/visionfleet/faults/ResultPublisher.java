package io.visionfleet.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Publishes {@code processed_frame/1} results of one stream straight to the real exchange, persistent and confirmed,
 * as frame-processor's publisher does: for tests whose subject is the archive, not the pipeline.
 */
final class ResultPublisher implements AutoCloseable {
    private final String streamId;
    private final long firstCaptureTs = System.currentTimeMillis();
    private final Connection connection;
    private final Channel channel;
    private long published;

    ResultPublisher(String streamId) throws IOException, TimeoutException {
        this.streamId = streamId;
        this.connection = Broker.get().connect();
        this.channel = connection.createChannel();
        channel.exchangeDeclare(Exchanges.PROCESSED_FRAMES, "fanout", true);
        channel.confirmSelect();
    }

    /** Publishes the next {@code count} frames' results and waits for the broker's confirms. */
    void publish(int count) throws IOException, InterruptedException, TimeoutException {
        for (int i = 0; i < count; i++) {
            long frame = ++published;
            Map<String, Object> result = Map.of("schema", "processed_frame/1", "stream_id", streamId,
                    "frame_number", frame, "capture_ts", firstCaptureTs + frame * 40, "objects", List.of());
            AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                    .contentType("application/json").build();
            channel.basicPublish(Exchanges.PROCESSED_FRAMES, "", properties, Json.MAPPER.writeValueAsBytes(result));
        }
        channel.waitForConfirmsOrDie(Duration.ofSeconds(30).toMillis());
    }

    long published() {
        return published;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
