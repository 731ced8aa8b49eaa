import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.decode.BgrConverter;
import io.visionfleet.common.decode.VideoDecoder;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.pipeline.Stages;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.sim.publish.AnnexBSender;
import io.visionfleet.slam.tracking.CameraModel;
import io.visionfleet.slam.tracking.ImuPrior;
import io.visionfleet.slam.tracking.MonocularTracker;
import io.visionfleet.slam.tracking.TrackerSettings;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * The stages of the fleet, each alone on one thread, on the pictures of one real clip: FFmpeg's decoder as the
 * consumers run it ({@link VideoDecoder} fed whole access units of the clip's Annex B stream, one thread, to BGR;
 * JavaCV's grabber, which reads the pictures the other stages take, costs several times more), frame-processor's motion pipeline with its defaults and slam-service's
 * tracker with its default intrinsics, OpenCV on one thread as the services run it ({@code
 * fleet.consumer.opencv-threads}), so that each stage runs on the calling thread alone. Prints one line per stage:
 * {@code stage <name> <mean CPU ms per frame> <mean wall ms per frame>} (and, for the motion pipeline, {@code part
 * <stage> <mean wall ms>} per stage of it, after the warm-up too), CPU being the calling thread's (the JIT
 * compiler and the garbage collector, which the process's CPU time would add, are left out).
 *
 *   java -cp <frame-processor, slam-service and video-sim classpath> StageCost.java CLIP CLIP.h264 [FRAMES]
 */
public class StageCost {
    private static final int WARM_UP = 60;

    public static void main(String[] args) throws Exception {
        String clip = args[0];
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        opencv_core.setNumThreads(1);
        List<Mat> decoded = new ArrayList<>();
        read(clip, frames + WARM_UP, decoded);
        print("decode", decode(Path.of(args[1])));
        print("motion", motion(decoded));
        print("slam", slam(decoded));
        decoded.forEach(Mat::close);
    }

    /** CPU and wall milliseconds per frame. */
    record Cost(double cpuMs, double wallMs) {
    }

    private static void print(String stage, Cost cost) {
        System.out.printf(Locale.ROOT, "stage %s %.3f %.3f%n", stage, cost.cpuMs, cost.wallMs);
    }

    /** Counts from {@link #start()} on: the calling thread's CPU time and the wall clock. */
    private static final class Meter {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private long cpu0;
        private long wall0;

        void start() {
            cpu0 = THREADS.getCurrentThreadCpuTime();
            wall0 = System.nanoTime();
        }

        Cost perFrame(int frames) {
            return new Cost((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6 / frames,
                    (System.nanoTime() - wall0) / 1e6 / frames);
        }
    }

    /**
     * The consumers' decoder on every access unit of an H.264 Annex B stream, each whole as the RTP reader hands it, and
     * each picture's conversion to BGR (a consumer converts only the pictures it takes): the stage is both, as for a
     * processed picture, and {@code part decode.convert} the conversion's wall ms alone.
     */
    private static Cost decode(Path annexB) throws IOException {
        List<byte[]> units = new ArrayList<>();
        AccessUnitAssembler assembler = new AccessUnitAssembler(au -> units.add(AnnexBSender.annexB(au)));
        NalSplitter splitter = new NalSplitter(8 << 20, assembler::accept);
        splitter.feed(Files.readAllBytes(annexB), 0);
        splitter.flush();
        assembler.flush();
        try (VideoDecoder decoder = new VideoDecoder(VideoCodec.H264, new byte[0]);
             BgrConverter bgr = new BgrConverter()) {
            Meter meter = new Meter();
            long convertNanos = 0;
            for (int i = 0; i < units.size(); i++) {
                if (i == WARM_UP) {
                    meter.start();
                    convertNanos = 0;
                }
                AVFrame picture = decoder.decodePicture(units.get(i), units.get(i).length);
                if (picture != null) {
                    long start = System.nanoTime();
                    bgr.convert(picture);
                    convertNanos += System.nanoTime() - start;
                }
            }
            int frames = units.size() - WARM_UP;
            System.out.printf(Locale.ROOT, "part decode.convert %.3f%n", convertNanos / 1e6 / frames);
            return meter.perFrame(frames);
        }
    }

    /** Reads up to {@code max} pictures into {@code into} with JavaCV's grabber, for the stages that take pictures. */
    private static void read(String clip, int max, List<Mat> into) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.setVideoOption("threads", "1");
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            for (Frame frame; into.size() < max && (frame = grabber.grabImage()) != null; ) {
                into.add(converter.convert(frame).clone());
            }
            if (into.size() <= WARM_UP) {
                throw new IllegalArgumentException(clip + " has only " + into.size() + " pictures");
            }
        }
    }

    private static Cost motion(List<Mat> decoded) {
        ProcessorConfig config = new SmallRyeConfigBuilder().withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(), "bench", 400)).build()
                .getConfigMapping(ProcessorConfig.class);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StreamPipeline pipeline = new StreamPipeline("scale", new Stages(null, new MotionEngine(config),
                new MotionStrategy()), config, Mode.AUTOMATIC, registry, r -> { }, new OverlayFeed(0))) {
            // where the pipeline's time goes, from its own per-stage timers (wall), counted after the warm-up as the
            // stage is: the first frames' native loading and interpreted code would swell the parts
            Map<String, double[]> atWarmUp = new HashMap<>();
            Cost cost = timed(decoded, (i, frame) -> {
                if (i == WARM_UP) {
                    registry.find("fleet.processor.stage").timers().forEach(t -> atWarmUp.put(t.getId().getTag("stage"),
                            new double[]{t.count(), t.totalTime(TimeUnit.MILLISECONDS)}));
                }
                pipeline.process(new FrameMeta("scale", i + 1, i * 66L, i * 66_666L, false, CaptureClock.Source.WALL),
                        i * 66L, frame);
            });
            registry.find("fleet.processor.stage").timers().forEach(t -> {
                double[] before = atWarmUp.getOrDefault(t.getId().getTag("stage"), new double[2]);
                System.out.printf(Locale.ROOT, "part %s %.3f%n", t.getId().getTag("stage"),
                        (t.totalTime(TimeUnit.MILLISECONDS) - before[1]) / Math.max(1, t.count() - before[0]));
            });
            return cost;
        }
    }

    private static Cost slam(List<Mat> decoded) {
        Mat first = decoded.get(0);
        CameraModel camera = CameraModel.fromFieldOfView(first.cols(), first.rows(), 70); // slam-service's default
        try (MonocularTracker tracker = new MonocularTracker(camera, TrackerSettings.defaults(), ImuPrior.NONE)) {
            return timed(decoded, (i, frame) -> {
                Mat gray = new Mat();
                cvtColor(frame, gray, COLOR_BGR2GRAY);
                tracker.process(gray, i + 1, i / 15.0);
            });
        }
    }

    interface Step {
        void run(int index, Mat frame);
    }

    /** Runs {@code step} on every picture in order, each in its own scope; the cost of those after the warm-up. */
    private static Cost timed(List<Mat> decoded, Step step) {
        Meter meter = new Meter();
        for (int i = 0; i < decoded.size(); i++) {
            if (i == WARM_UP) {
                meter.start();
            }
            try (PointerScope scope = new PointerScope()) {
                step.run(i, decoded.get(i));
            }
        }
        return meter.perFrame(decoded.size() - WARM_UP);
    }
}
