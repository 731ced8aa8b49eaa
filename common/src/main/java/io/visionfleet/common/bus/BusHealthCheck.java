package io.visionfleet.common.bus;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Set;

/**
 * Ready only while the AMQP connection is open and every connector channel is connected; when not, {@code reason}
 * says why (refused, lost, ...) and {@code channels_down} which channels wait. The publisher's outbox is reported
 * either way: what waits for the broker and what had to be dropped.
 */
@Readiness
@ApplicationScoped
public class BusHealthCheck implements HealthCheck {
    private final BusConnection bus;
    private final ConnectorChannels channels;
    private final BusPublisher publisher;

    public BusHealthCheck(BusConnection bus, ConnectorChannels channels, BusPublisher publisher) {
        this.bus = bus;
        this.channels = channels;
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = bus.problem();
        Set<String> down = channels.disconnected();
        if (problem == null && !down.isEmpty()) {
            problem = "connector channels not connected to RabbitMQ at " + bus.describe() + ": " + down;
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rabbitmq")
                .status(problem == null)
                .withData("broker", bus.describe())
                .withData("outbox_messages", publisher.pending())
                .withData("outbox_dropped", publisher.dropped());
        if (problem != null) {
            response.withData("reason", problem);
        }
        if (!down.isEmpty()) {
            response.withData("channels_down", String.join(",", down));
        }
        return response.build();
    }
}
