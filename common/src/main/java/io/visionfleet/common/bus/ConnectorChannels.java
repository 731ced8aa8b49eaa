package io.visionfleet.common.bus;

import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the service's RabbitMQ connector channels are disconnected, from the connector's own channel reports. The
 * reports are not published as health checks (the connector reports them for liveness too, and a service must stay
 * live while the broker is away: {@code quarkus.messaging.health.enabled=false}); {@link BusHealthCheck} folds them
 * into readiness instead.
 */
@ApplicationScoped
public class ConnectorChannels {
    private final HealthCenter health;

    public ConnectorChannels(HealthCenter health) {
        this.health = health;
    }

    /** Names of the channels that are not connected now, sorted. */
    public Set<String> disconnected() {
        Set<String> names = new TreeSet<>();
        for (HealthReport.ChannelInfo channel : health.getReadiness().getChannels()) {
            if (!channel.isOk()) {
                names.add(channel.getChannel());
            }
        }
        return names;
    }
}
