package io.visionfleet.common.bus;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the AMQP connection is open. */
@Readiness
@ApplicationScoped
public class BusHealthCheck implements HealthCheck {
    private final BusConnection bus;

    public BusHealthCheck(BusConnection bus) {
        this.bus = bus;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq")
                .status(bus.isOpen())
                .withData("broker", bus.describe())
                .build();
    }
}
