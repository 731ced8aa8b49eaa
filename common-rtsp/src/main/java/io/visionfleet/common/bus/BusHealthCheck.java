package io.visionfleet.common.bus;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the AMQP connection is open; when it is not, {@code reason} says why (refused, lost, ...). The
 * publisher's outbox is reported either way: what waits for the broker and what had to be dropped.
 */
@Readiness
@ApplicationScoped
public class BusHealthCheck implements HealthCheck {
    private final BusConnection bus;
    private final BusPublisher publisher;

    public BusHealthCheck(BusConnection bus, BusPublisher publisher) {
        this.bus = bus;
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = bus.problem();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rabbitmq")
                .status(problem == null)
                .withData("broker", bus.describe())
                .withData("outbox_messages", publisher.pending())
                .withData("outbox_dropped", publisher.dropped());
        if (problem != null) {
            response.withData("reason", problem);
        }
        return response.build();
    }
}
