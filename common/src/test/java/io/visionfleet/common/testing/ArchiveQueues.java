package io.visionfleet.common.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import java.io.IOException;
import java.util.List;

/**
 * Deletes what storage-service's results archive declares under a test's own queue prefix
 * ({@code fleet.storage.results.queue-prefix}): the shared queues, the routing exchanges behind the result fanouts
 * (left behind, every later result would still be routed through them) and the named streams' queues. Durable, they
 * would otherwise outlive the test on the machine's broker.
 */
public final class ArchiveQueues {
    private static final List<String> KINDS = List.of("processed_frames", "slam_results", "ptz_commands", "imu_data");

    private ArchiveQueues() {
    }

    public static void delete(Broker broker, String prefix, String... streams) throws Exception {
        try (Connection connection = broker.connect(); Channel ch = connection.createChannel()) {
            for (String kind : KINDS) {
                ch.queueDelete(prefix + kind);
                ch.exchangeDelete(prefix + kind + ".by_stream");
                ch.exchangeDelete(prefix + kind + ".unowned");
            }
            for (String stream : streams) {
                ch.queueDelete(prefix + "stream." + stream);
            }
        }
    }

    /** Whether the archive's queue of {@code stream} is on the broker. */
    public static boolean streamQueueExists(Broker broker, String prefix, String stream) throws Exception {
        return exists(broker, prefix + "stream." + stream);
    }

    /** Whether {@code queue} is on the broker. */
    public static boolean exists(Broker broker, String queue) throws Exception {
        try (Connection connection = broker.connect()) {
            try {
                connection.createChannel().queueDeclarePassive(queue);
                return true;
            } catch (IOException e) {
                return false; // 404, which closes the channel
            }
        }
    }
}
