package io.visionfleet.frameprocessor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.messages.FrameTiming;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.detect.Detection;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineChoice;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.stage.StageTimings;

import io.visionfleet.frameprocessor.output.MaskEncoder;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.output.OverlayRenderer;
import io.visionfleet.frameprocessor.output.PublishedObject;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Seeder;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One stream's pipeline: detector, engine, tracks, outputs (message, overlay), each stage timed on every frame.
 * Frames arrive on the stream's processing thread; prompts and mode changes come from any thread and take effect on
 * the next frame. The engine session is opened on the first frame (its size is known then) and reopened if the size
 * changes.
 */
public final class StreamPipeline implements StreamSession {
    private static final Logger LOG = Logger.getLogger(StreamPipeline.class);
    /** Prompts waiting for the next frame beyond this are refused: a client flooding one stream cannot grow memory. */
    public static final int MAX_PENDING_COMMANDS = 64;

    private final String streamId;
    private final Stages stages;
    private final ProcessorConfig config;
    private final Consumer<ProcessedFrame> publish;
    private final StageMetrics metrics;
    private final MaskEncoder masks;
    private final OverlayRenderer overlay;
    private final OverlayFeed overlayFeed;
    private final TrackBook book = new TrackBook();
    private final ObjectTrail trail = new ObjectTrail();
    private final Queue<Pending> commands = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Mode mode;
    private volatile long lastFrameAtMs = -1;
    private volatile int width;
    private volatile int height;
    private EngineSession session;
    private volatile EngineChoice engine;
    private Seeder seeder;
    private long frameIndex;
    /** The consumer's number of the frame processed last: frames skipped since then still moved the objects. */
    private long lastFrameNumber;
    private boolean closed;

    private record Pending(ObjectCommand command, CompletableFuture<CommandOutcome> outcome) {
    }

    public StreamPipeline(String streamId, Stages stages, ProcessorConfig config, Mode mode, MeterRegistry registry,
                          Consumer<ProcessedFrame> publish, OverlayFeed overlayFeed) {
        this.streamId = streamId;
        this.stages = stages;
        this.config = config;
        this.mode = mode;
        this.publish = publish;
        this.metrics = new StageMetrics(registry, streamId);
        this.masks = new MaskEncoder(config.output().polygonEpsilon(), config.output().maxPolygonPoints(),
                config.output().maxMaskCounts());
        this.overlay = new OverlayRenderer(config.overlay().maskAlpha(), config.overlay().jpegQuality());
        this.overlayFeed = overlayFeed;
    }

    public Mode mode() {
        return mode;
    }

    public void mode(Mode value) {
        mode = value;
    }

    /** Frame width, 0 before the first frame. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long lastFrameAtMs() {
        return lastFrameAtMs;
    }

    /** The engine this stream's session runs on and why; before the first frame, the one it would run on. */
    public EngineChoice engine() {
        EngineChoice running = engine;
        return running != null ? running : stages.engine().choose();
    }

    /** Mean latency per stage since the stream started, in milliseconds. */
    public Map<String, Double> meanStageMs() {
        return metrics.meanMs();
    }

    /**
     * Queues a prompt or removal for the next frame. The future completes when that frame has been processed, or
     * exceptionally when the queue is full or the pipeline closes first.
     */
    public CompletableFuture<CommandOutcome> submit(ObjectCommand command) {
        CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
        if (pending.incrementAndGet() > MAX_PENDING_COMMANDS) {
            pending.decrementAndGet();
            outcome.completeExceptionally(new IllegalStateException(
                    "stream " + streamId + " has " + MAX_PENDING_COMMANDS + " prompts waiting for a frame already"));
            return outcome;
        }
        commands.add(new Pending(command, outcome));
        return outcome;
    }

    /**
     * Runs one frame through every stage and publishes its result. {@code decodedTs} is when the frame was decoded
     * (epoch ms), the first of the result's hop times. Returns false when the pipeline was closed (the caller makes
     * a new one).
     */
    public synchronized boolean process(FrameMeta meta, long decodedTs, Mat bgr) {
        if (closed) {
            return false;
        }
        try (PointerScope scope = new PointerScope()) {
            long startedTs = System.currentTimeMillis();
            long start = System.nanoTime();
            StageTimings timings = new StageTimings();
            openSession(bgr.cols(), bgr.rows());
            int elapsed = frameIndex == 0 ? 1 : (int) Math.max(1, meta.frameNumber() - lastFrameNumber);
            lastFrameNumber = meta.frameNumber();
            List<Detection> detections = detect(bgr, timings);
            List<Pending> batch = drain();
            Mode frameMode = mode; // one mode for the whole frame, even if it changes meanwhile
            try {
                Seeder seeds = frameMode == Mode.AUTOMATIC && frameIndex % Math.max(1, config.repromptInterval()) == 0 ? seeder : null;
                List<ObjectCommand> commands = batch.stream().map(p -> carried(p.command(), meta.captureTs())).toList();
                EngineResult result = timings.time("engine", () -> session.step(new EngineInput(frameIndex, elapsed,
                        bgr, detections, commands, seeds, config.maxObjectsPerStream(), timings)));
                trail.add(meta.captureTs(), result.objects());
                long engineTs = System.currentTimeMillis();
                TrackBook.Update update = timings.time("tracks", () -> book.update(result, detections, frameMode));
                List<TrackedObject> objects = timings.time("encode", () -> encode(update.published()));
                double totalMs = (System.nanoTime() - start) / 1e6;
                ProcessedFrame message = new ProcessedFrame(ProcessedFrame.SCHEMA, streamId, meta.frameNumber(),
                        meta.captureTs(), width, height, engine.name(), objects, round(totalMs),
                        timings.millis(), update.events(),
                        new FrameTiming(decodedTs, startedTs, engineTs, System.currentTimeMillis()));
                if (config.output().publish()) {
                    timings.time("publish", () -> publish.accept(message));
                }
                if (overlayFeed.due(System.nanoTime())) {
                    byte[] jpeg = timings.time("overlay", () -> overlay.render(bgr, update.published()));
                    overlayFeed.publish(jpeg);
                }
                answer(batch, result.outcomes(), meta.captureTs());
            } catch (RuntimeException e) {
                batch.forEach(p -> p.outcome().completeExceptionally(e));
                throw e;
            }
            metrics.record(timings);
            frameIndex++;
            lastFrameAtMs = System.currentTimeMillis();
            return true;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeSession();
        metrics.close();
        for (Pending p; (p = commands.poll()) != null; ) {
            p.outcome().completeExceptionally(new IllegalStateException("stream " + streamId + " stopped"));
        }
    }

    private void openSession(int w, int h) {
        if (session != null && w == width && h == height) {
            return;
        }
        if (session != null) {
            LOG.infof("stream %s changed size from %dx%d to %dx%d: its objects start over", streamId, width, height, w, h);
            closeSession();
        }
        engine = stages.engine().choose();
        session = engine.engine().open(streamId, w, h);
        LOG.infof("stream %s: engine %s (%s)", streamId, engine.name(), engine.reason());
        seeder = stages.strategy().open(w, h);
        width = w;
        height = h;
        frameIndex = 0;
        trail.clear(); // the new session's objects are not the old one's
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            seeder.close();
            session = null;
            seeder = null;
        }
    }

    private List<Detection> detect(Mat bgr, StageTimings timings) {
        if (stages.detector() == null || frameIndex % Math.max(1, config.yolo().interval()) != 0) {
            return List.of();
        }
        return timings.time("detector", () -> stages.detector().detect(bgr));
    }

    /** A prompt made on an earlier picture, moved with the object it was made on to the frame captured at {@code nowTs}. */
    private ObjectCommand carried(ObjectCommand command, long nowTs) {
        if (command instanceof ObjectCommand.Apply apply && apply.seenAtTs() != null) {
            return new ObjectCommand.Apply(trail.carry(apply.prompt(), apply.seenAtTs(), nowTs, width, height));
        }
        return command;
    }

    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; (p = commands.poll()) != null; ) {
            pending.decrementAndGet();
            batch.add(p);
        }
        return batch;
    }

    private List<TrackedObject> encode(List<PublishedObject> published) {
        List<TrackedObject> objects = new ArrayList<>(published.size());
        for (PublishedObject o : published) {
            MaskEncoder.Encoded encoded = masks.encode(o.mask(), width, height);
            objects.add(new TrackedObject(o.id(), o.label(), round(o.score()), o.box().toArray(), o.mask().area(),
                    encoded.rle(), encoded.polygon()));
        }
        return objects;
    }

    private static void answer(List<Pending> batch, List<CommandOutcome> outcomes, long captureTs) {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete((i < outcomes.size() ? outcomes.get(i)
                    : CommandOutcome.rejected("the engine did not answer this command")).atFrame(captureTs));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
