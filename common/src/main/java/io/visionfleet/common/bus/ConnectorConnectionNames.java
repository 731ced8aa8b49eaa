package io.visionfleet.common.bus;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Names the messaging connector's AMQP connections like the fleet's own, {@code <service>/<replica>/<channel>}
 * (the connector's default is the bare channel name), so the RabbitMQ UI shows whose each connection is.
 */
@ApplicationScoped
public class ConnectorConnectionNames implements ClientCustomizer<RabbitMQOptions> {
    private final String service;

    public ConnectorConnectionNames(@ConfigProperty(name = "quarkus.application.name") String service) {
        this.service = service;
    }

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return options.setConnectionName(AmqpClients.connectionName(service, AmqpClients.defaultReplica(), channel));
    }
}
