package io.visionfleet.common.consumer.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.visionfleet.common.consumer.RtspConsumer;
import io.visionfleet.common.consumer.StreamListener;
import io.visionfleet.common.consumer.StreamState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of every followed stream, tagged {@code stream}, and the consumer's processing load; Prometheus
 * serves them at {@code /q/metrics} as {@code fleet_consumer_*}. Meters of a stream no longer followed are removed,
 * so the registry stays bounded.
 */
public final class ConsumerMetrics implements StreamListener {
    private final MeterRegistry registry;
    private final Map<StreamState, List<Meter>> meters = new ConcurrentHashMap<>();

    public ConsumerMetrics(MeterRegistry registry, RtspConsumer<?> consumer) {
        this.registry = registry;
        consumer.load().ifPresent(ignored -> Gauge.builder("fleet.consumer.load", consumer, c -> c.load().orElse(0.0))
                .description("Processing threads the streams need, as a share of those there are; above 1 frames are"
                        + " skipped for capacity").strongReference(true).register(registry));
    }

    @Override
    public void followed(StreamState stream) {
        String id = stream.streamId();
        List<Meter> list = new ArrayList<>();
        list.add(gauge("fleet.consumer.connected", "1 while a session delivers the stream", id, stream,
                s -> s.connected() ? 1 : 0));
        list.add(Gauge.builder("fleet.consumer.last.frame.age", stream, ConsumerMetrics::lastFrameAgeSeconds)
                .description("Seconds since the last frame arrived, NaN before the first").baseUnit("seconds")
                .tag("stream", id).strongReference(true).register(registry));
        list.add(gauge("fleet.consumer.fps.in", "Frames per second arriving from the relay", id, stream,
                s -> s.fpsIn(now())));
        list.add(gauge("fleet.consumer.fps.processed", "Frames per second handled by the service", id, stream,
                s -> s.fpsProcessed(now())));
        list.add(counter("fleet.consumer.frames.in", "Frames received", id, stream, StreamState::framesIn));
        list.add(counter("fleet.consumer.frames.processed", "Frames handled", id, stream, StreamState::framesProcessed));
        list.add(counter("fleet.consumer.frames.dropped", "Stale frames replaced before processing took them", id,
                stream, StreamState::dropped));
        list.add(counter("fleet.consumer.frames.skipped.capacity",
                "Of the dropped frames, those skipped because processing was busy (not for the rate cap)", id, stream,
                StreamState::skippedForCapacity));
        list.add(counter("fleet.consumer.frames.not.decoded",
                "Of the dropped frames, pictures no other picture refers to, left undecoded while processing was behind",
                id, stream, StreamState::notDecoded));
        list.add(counter("fleet.consumer.processing.errors", "Frames whose handling threw", id, stream,
                StreamState::processingErrors));
        list.add(counter("fleet.consumer.reconnects", "Sessions that ended or failed to open and were retried", id,
                stream, StreamState::reconnects));
        meters.put(stream, list);
    }

    @Override
    public void unfollowed(StreamState stream) {
        List<Meter> list = meters.remove(stream);
        if (list != null) {
            list.forEach(registry::remove);
        }
    }

    private Meter gauge(String name, String description, String id, StreamState stream, ToDoubleFunction<StreamState> f) {
        return Gauge.builder(name, stream, f).description(description).tag("stream", id).strongReference(true)
                .register(registry);
    }

    private Meter counter(String name, String description, String id, StreamState stream, ToDoubleFunction<StreamState> f) {
        return FunctionCounter.builder(name, stream, f).description(description).tag("stream", id).register(registry);
    }

    private static double lastFrameAgeSeconds(StreamState stream) {
        long ageMs = stream.lastFrameAgeMs(now());
        return ageMs < 0 ? Double.NaN : ageMs / 1000.0;
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
