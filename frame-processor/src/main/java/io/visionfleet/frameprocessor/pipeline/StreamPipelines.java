package io.visionfleet.frameprocessor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.engine.EngineChoice;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.prompt.Mode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the pipeline of a stream, which the consumer owns as the stream's session (opened on its first frame,
 * closed when it is stopped or has sent no frame for {@code fleet.consumer.session-idle-timeout}), and keeps what
 * outlives pipelines: a stream's mode and overlay viewers, so a stream that pauses and comes back keeps them.
 */
@ApplicationScoped
public class StreamPipelines {
    private static final Logger LOG = Logger.getLogger(StreamPipelines.class);

    private final PipelineStages stages;
    private final ProcessorConfig config;
    private final MeterRegistry registry;
    private final ResultPublisher publisher;
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final Map<String, OverlayFeed> overlays = new ConcurrentHashMap<>();

    public StreamPipelines(PipelineStages stages, ProcessorConfig config, MeterRegistry registry, ResultPublisher publisher) {
        this.stages = stages;
        this.config = config;
        this.registry = registry;
        this.publisher = publisher;
    }

    /** The mode a stream's pipelines start in. */
    public Mode mode(String streamId) {
        return modes.getOrDefault(streamId, stages.initialMode());
    }

    /** Sets the mode of the stream's next pipelines; the caller applies it to the open one. */
    public void mode(String streamId, Mode mode) {
        modes.put(streamId, mode);
    }

    /** The engine a stream opened now would run on, and why. */
    public EngineChoice engine() {
        return stages.engine().choose();
    }

    /** The overlay feed of a stream, made on first use. */
    public OverlayFeed overlay(String streamId) {
        return overlays.computeIfAbsent(streamId, id -> new OverlayFeed(config.overlay().maxFps()));
    }

    /** Forgets the overlay feed of a stream no longer processed, unless someone still watches it. */
    public void dropUnwatchedOverlay(String streamId) {
        overlays.computeIfPresent(streamId, (id, feed) -> feed.viewers() == 0 ? null : feed);
    }

    /** A new pipeline for {@code streamId}, in the stream's mode. */
    public StreamPipeline open(String streamId) {
        LOG.infof("stream %s: pipeline %s -> %s -> tracks -> outputs, %s mode", streamId,
                stages.detector().map(d -> d.name()).orElse(PipelineStages.NO_DETECTOR), stages.engine().name(),
                mode(streamId).id());
        return new StreamPipeline(streamId, new Stages(stages.detector().orElse(null), stages.engine(), stages.strategy()),
                config, mode(streamId), registry, publisher::publish, overlay(streamId));
    }
}
