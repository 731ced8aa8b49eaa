package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.stage.StageTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-stage latency of one stream as Micrometer timers {@code fleet.processor.stage} tagged {@code stream} and
 * {@code stage} (Prometheus: {@code fleet_processor_stage_seconds_*}); their means feed {@code GET /streams/{id}/fps}. Removed from the registry when the stream's pipeline closes.
 */
final class StageMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final String streamId;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    StageMetrics(MeterRegistry registry, String streamId) {
        this.registry = registry;
        this.streamId = streamId;
    }

    void record(StageTimings timings) {
        timings.nanos().forEach((stage, nanos) -> {
            timers.computeIfAbsent(stage, s -> Timer.builder("fleet.processor.stage")
                            .description("Latency of one pipeline stage per frame")
                            .tag("stream", streamId).tag("stage", s)
                            .register(registry))
                    .record(nanos, TimeUnit.NANOSECONDS);
        });
    }

    /** Mean latency per stage in milliseconds since the stream started. */
    Map<String, Double> meanMs() {
        Map<String, Double> means = new LinkedHashMap<>();
        timers.forEach((stage, t) -> means.put(stage, Math.round(t.mean(TimeUnit.MICROSECONDS)) / 1000.0));
        return means;
    }

    @Override
    public void close() {
        timers.values().forEach(registry::remove);
        timers.clear();
    }
}
