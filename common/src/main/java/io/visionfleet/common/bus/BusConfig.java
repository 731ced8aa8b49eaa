package io.visionfleet.common.bus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** RabbitMQ connection settings, shared by every service ({@code fleet.rabbitmq.*}). */
@ConfigMapping(prefix = "fleet.rabbitmq")
public interface BusConfig {
    /** Broker host, when {@link #addresses()} is not set. */
    @WithDefault("127.0.0.1")
    String host();

    /** AMQP port, when {@link #addresses()} is not set. */
    @WithDefault("5672")
    int port();

    /**
     * The nodes of a RabbitMQ cluster, {@code host:port} separated by commas ({@code FLEET_RABBITMQ_ADDRESSES}); set,
     * it replaces host and port. A client connects to one of them and, when that node goes away, to another.
     */
    Optional<List<String>> addresses();

    /** User name. */
    @WithDefault("guest")
    String username();

    /** Password. */
    @WithDefault("guest")
    String password();

    /** Virtual host. */
    @WithDefault("/")
    String virtualHost();

    /** Seconds between connect attempts while the broker is unreachable, at start and after it went away. */
    @WithDefault("2")
    int recoverySeconds();

    /**
     * AMQP heartbeat. A broker that vanished without closing the socket (a host or network failure, not a restart)
     * is noticed after two missed heartbeats, and the outbox holds results from then on; the client's default of
     * 60 s would let two minutes of results go into a dead socket.
     */
    @WithDefault("10s")
    Duration heartbeat();

    /** The publishers' outbox: what {@code BusPublisher} holds until the broker confirms it. */
    OutboxConfig outbox();

    interface OutboxConfig {
        /** Messages held at most; beyond it the oldest are dropped (and counted). */
        @WithDefault("20000")
        int maxMessages();

        /** Bytes of message bodies held at most; beyond it the oldest are dropped (and counted). */
        @WithDefault("33554432")
        long maxBytes();

        /**
         * Age at which a message still unsent is dropped (and counted): results older than this are history, and a
         * broker that is away longer should not be flooded with them when it is back. It must outlast a cluster's
         * partition: a publisher on the node cut off gets no confirms until that node notices and pauses (up to 1.25
         * net_ticktime, 75 s with RabbitMQ's 60 s), and its first batch through the majority then waited up to 47 s
         * more in {@code ClusterPartitionTest} (net_ticktime 30 s), so 60 s lost results there.
         */
        @WithDefault("180s")
        Duration maxAge();

        /**
         * How long a batch waits for the broker's publisher confirms before the wait is logged (once). It waits on
         * while its channel is open, which answers every publish in the end; a lost connection sends it again.
         */
        @WithDefault("10s")
        Duration confirmTimeout();

        /**
         * The least time between two batches. The broker's work is per batch more than per message (one quorum queue
         * at 300 persistent messages a second took 30-46 % of a core sent one by one with confirms, 14-23 % in threes),
         * and a service publishes its streams' results ten or so milliseconds apart: at six streams a node's broker
         * took 20-24 % of a core with 25 ms against 35-38 with none, and the services less too (docs/benchmarks.md).
         * A message coming at least this long after the last batch (one stream's result) goes at once; one coming
         * sooner waits out the rest with those arriving meanwhile. 0 sends each message at once.
         */
        @WithDefault("25ms")
        Duration linger();
    }
}
