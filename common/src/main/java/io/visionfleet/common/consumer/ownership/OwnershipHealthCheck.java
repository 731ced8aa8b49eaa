package io.visionfleet.common.consumer.ownership;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness of stream ownership: down while the replica holds no lease connection (it then processes nothing),
 * and in its data which streams this replica owns and which it leaves to the others.
 */
public final class OwnershipHealthCheck implements HealthCheck {
    private final StreamOwnership ownership;

    public OwnershipHealthCheck(StreamOwnership ownership) {
        this.ownership = ownership;
    }

    @Override
    public HealthCheckResponse call() {
        OwnershipView v = ownership.view();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("stream-ownership")
                .status(v.connected())
                .withData("group", v.group())
                .withData("replica", v.replica())
                .withData("replicas", v.replicas())
                .withData("max_streams", v.maxStreams())
                .withData("limit", v.limit())
                .withData("owned", String.join(",", v.owned()))
                .withData("waiting", String.join(",", v.waiting()));
        if (v.problem() != null) {
            builder.withData("problem", v.problem());
        }
        return builder.build();
    }
}
