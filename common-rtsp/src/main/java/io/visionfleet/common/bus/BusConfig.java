package io.visionfleet.common.bus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** RabbitMQ connection settings, shared by every service ({@code fleet.rabbitmq.*}). */
@ConfigMapping(prefix = "fleet.rabbitmq")
public interface BusConfig {
    /** Broker host. */
    @WithDefault("127.0.0.1")
    String host();

    /** AMQP port. */
    @WithDefault("5672")
    int port();

    /** User name. */
    @WithDefault("guest")
    String username();

    /** Password. */
    @WithDefault("guest")
    String password();

    /** Virtual host. */
    @WithDefault("/")
    String virtualHost();

    /** Seconds between reconnect attempts after the broker goes away. */
    @WithDefault("5")
    int recoverySeconds();
}
