package io.visionfleet.frameprocessor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.visionfleet.common.rtsp.FrameMeta;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.prompt.Mode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pipelines of every stream: made on a stream's first frame, freed when the stream is stopped or has sent no
 * frame for {@code stream-timeout}. A stream's mode and overlay viewers outlive its pipeline, so a stream that
 * pauses and comes back keeps them.
 */
@ApplicationScoped
public class StreamPipelines {
    private static final Logger LOG = Logger.getLogger(StreamPipelines.class);
    private static final long EXPIRY_CHECK_MS = 1000;

    private final PipelineStages stages;
    private final ProcessorConfig config;
    private final MeterRegistry registry;
    private final ResultPublisher publisher;
    private final Map<String, StreamPipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final Map<String, OverlayFeed> overlays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-expiry");
        t.setDaemon(true);
        return t;
    });

    public StreamPipelines(PipelineStages stages, ProcessorConfig config, MeterRegistry registry, ResultPublisher publisher) {
        this.stages = stages;
        this.config = config;
        this.registry = registry;
        this.publisher = publisher;
        janitor.scheduleWithFixedDelay(this::expireIdle, EXPIRY_CHECK_MS, EXPIRY_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs one frame of {@code meta.streamId()} through its pipeline. */
    public void process(FrameMeta meta, Mat bgr) {
        String id = meta.streamId();
        while (true) {
            StreamPipeline pipeline = pipelines.computeIfAbsent(id, this::create);
            if (pipeline.process(meta, bgr)) {
                return;
            }
            pipelines.remove(id, pipeline); // expired between lookup and use
        }
    }

    public Optional<StreamPipeline> pipeline(String streamId) {
        return Optional.ofNullable(pipelines.get(streamId));
    }

    public Mode mode(String streamId) {
        return modes.getOrDefault(streamId, stages.initialMode());
    }

    public void mode(String streamId, Mode mode) {
        modes.put(streamId, mode);
        pipeline(streamId).ifPresent(p -> p.mode(mode));
    }

    /** The overlay feed of a stream, made on first use. */
    public OverlayFeed overlay(String streamId) {
        return overlays.computeIfAbsent(streamId, id -> new OverlayFeed(config.overlay().maxFps()));
    }

    /** Frees a stream's pipeline (its processing was stopped). */
    public void stop(String streamId) {
        StreamPipeline pipeline = pipelines.remove(streamId);
        if (pipeline != null) {
            pipeline.close();
        }
        overlays.computeIfPresent(streamId, (id, feed) -> feed.viewers() == 0 ? null : feed);
    }

    @PreDestroy
    void closeAll() {
        janitor.shutdownNow();
        pipelines.keySet().forEach(this::stop);
    }

    private StreamPipeline create(String streamId) {
        LOG.infof("stream %s: pipeline %s -> %s -> tracks -> outputs, %s mode", streamId,
                stages.detector().map(d -> d.name()).orElse(PipelineStages.NO_DETECTOR), stages.engine().name(),
                mode(streamId).id());
        return new StreamPipeline(streamId, new Stages(stages.detector().orElse(null), stages.engine(), stages.strategy()),
                config, mode(streamId), registry, publisher::publish, overlay(streamId));
    }

    private void expireIdle() {
        long now = System.currentTimeMillis();
        long timeoutMs = config.streamTimeout().toMillis();
        pipelines.forEach((id, pipeline) -> {
            long last = pipeline.lastFrameAtMs();
            if (last > 0 && now - last > timeoutMs && pipelines.remove(id, pipeline)) {
                LOG.infof("stream %s sent no frame for %d s: its pipeline state is freed", id, timeoutMs / 1000);
                pipeline.close();
            }
        });
    }
}
