package io.visionfleet.common.consumer.ownership;

import io.visionfleet.common.bus.AmqpClients;
import io.visionfleet.common.consumer.ConsumerConfig;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The plain values of stream ownership, so tests can run several replicas in one JVM without CDI.
 *
 * @param group         replicas that share streams (one per service)
 * @param replicaId     this replica's name
 * @param maxStreams    most streams owned at once, 0 for no cap beyond the fair share
 * @param claimInterval time between claim rounds
 * @param heartbeat     AMQP heartbeat of the lease connection
 * @param warmUp        time from the first stream owned to the first measure of capacity
 */
public record OwnershipSettings(String group, String replicaId, int maxStreams, Duration claimInterval,
                                Duration heartbeat, Duration warmUp) {
    // group and replica become parts of queue names and of the connection name shown in the RabbitMQ UI
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    public OwnershipSettings {
        requireName("group", group);
        requireName("replica id", replicaId);
        if (maxStreams < 0) {
            throw new IllegalArgumentException("max streams must be 0 (no cap) or positive, got " + maxStreams);
        }
        if (claimInterval.toMillis() < 100) {
            throw new IllegalArgumentException("claim interval must be at least 100 ms, got " + claimInterval);
        }
        if (heartbeat.toSeconds() < 1) {
            throw new IllegalArgumentException("heartbeat must be at least 1 s (AMQP counts whole seconds), got " + heartbeat);
        }
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("warm-up must be 0 or more, got " + warmUp);
        }
    }

    public static OwnershipSettings of(ConsumerConfig.Ownership config, String applicationName) {
        return new OwnershipSettings(config.group().orElse(applicationName), config.replicaId().orElseGet(AmqpClients::defaultReplica),
                config.maxStreams(), config.claimInterval(), config.heartbeat(), config.warmUp());
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid ownership " + what + " '" + value + "': use 1-100 of [A-Za-z0-9_.-]");
        }
    }
}
