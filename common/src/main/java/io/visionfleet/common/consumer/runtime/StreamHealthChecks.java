package io.visionfleet.common.consumer.runtime;

import io.visionfleet.common.consumer.RtspConsumer;
import io.visionfleet.common.consumer.StreamState;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.Locale;

/** The consumer's health checks, registered by {@link ConsumerLifecycle} only in services that have a consumer. */
final class StreamHealthChecks {
    private StreamHealthChecks() {
    }

    /**
     * Readiness: reports every followed stream's state, and whether the service is over capacity and by how much. A
     * stream waiting for the relay does not make the service unready (its API still serves), nor does overload: the
     * service still processes every stream, each at a share of its rate, and taking it out of service would only
     * move the load; a disabled consumer says so.
     */
    static HealthCheck readiness(RtspConsumer<?> consumer, boolean enabled) {
        return () -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("rtsp-streams").up()
                    .withData("enabled", enabled)
                    .withData("relay", consumer.settings().relayUrl());
            consumer.load().ifPresent(load -> builder
                    .withData("load", String.format(Locale.ROOT, "%.2f", load))
                    .withData("over_capacity", load > 1));
            long now = System.currentTimeMillis();
            for (StreamState s : consumer.streams()) {
                String id = s.streamId();
                builder.withData(id + ".state", s.phase().name().toLowerCase(Locale.ROOT))
                        .withData(id + ".last_frame_age_ms", s.lastFrameAgeMs(now))
                        .withData(id + ".fps_in", String.format(Locale.ROOT, "%.1f", s.fpsIn(now)))
                        .withData(id + ".reconnects", s.reconnects())
                        .withData(id + ".dropped", s.dropped())
                        .withData(id + ".skipped_for_capacity", s.skippedForCapacity());
                if (s.clock() != null) {
                    builder.withData(id + ".clock", s.clock().name().toLowerCase(Locale.ROOT));
                }
                if (s.lastError() != null) {
                    builder.withData(id + ".last_error", s.lastError());
                }
            }
            return builder.build();
        };
    }

    /** Liveness: down when a stream's thread died unexpectedly, which only a restart repairs. */
    static HealthCheck liveness(RtspConsumer<?> consumer) {
        return () -> HealthCheckResponse.named("rtsp-consumer")
                .status(consumer.threadsAlive())
                .withData("streams", consumer.streams().size())
                .build();
    }
}
