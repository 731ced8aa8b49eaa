import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.sim.scene.SyntheticVideo;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.pipeline.Stages;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

/**
 * Motion-engine throughput: the whole per-stream pipeline (engine, tracks, RLE/polygon encoding; no network) on
 * decoded frames of a synthetic H.264 clip, at several resolutions and configurations, with per-stage latency. In
 * the same run, two references on the same frames: FFmpeg decoding of the clip, and OpenCV's MOG2 subtractor alone.
 *
 *   java -cp <frame-processor classpath> MotionBench.java [frames] [WxH ...]
 */
public class MotionBench {
    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        List<int[]> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] wh = args[i].split("x");
            sizes.add(new int[]{Integer.parseInt(wh[0]), Integer.parseInt(wh[1])});
        }
        if (sizes.isEmpty()) {
            sizes = List.of(new int[]{640, 480}, new int[]{1280, 720});
        }
        System.out.printf(Locale.ROOT, "cpus %d, java %s, opencv threads %d%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), org.bytedeco.opencv.global.opencv_core.getNumThreads());
        Path dir = Files.createTempDirectory("motion-bench");
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            GroundTruthScene scene = GroundTruthScenes.crossing(w, h);
            Path clip = SyntheticVideo.mp4(dir.resolve("crossing-" + w + "x" + h + ".mp4"), w, h, 30, 30, scene.frames(), scene::render);
            double decodeFps = decode(clip, null);
            List<Mat> decoded = new ArrayList<>();
            decode(clip, decoded);
            System.out.printf(Locale.ROOT, "%n== %dx%d, %d decoded frames of the crossing scene (4 objects), %d frames per run ==%n",
                    w, h, decoded.size(), frames);
            System.out.printf(Locale.ROOT, "reference  ffmpeg decode (h264, 1 thread)          %7.1f fps%n", decodeFps);
            System.out.printf(Locale.ROOT, "reference  opencv MOG2 alone                       %7.1f fps%n", mog2(decoded, frames));
            run("motion default (gaussian + compensation)", decoded, frames, Map.of());
            run("motion gaussian, compensation off", decoded, frames, Map.of("fleet.processor.motion.compensation", "false"));
            run("motion mog2 (static camera)", decoded, frames, Map.of("fleet.processor.motion.compensation", "false",
                    "fleet.processor.motion.subtractor", "mog2"));
            run("motion knn (static camera)", decoded, frames, Map.of("fleet.processor.motion.compensation", "false",
                    "fleet.processor.motion.subtractor", "knn"));
            decoded.forEach(Mat::close);
        }
    }

    private static void run(String name, List<Mat> decoded, int frames, Map<String, String> overrides) {
        ProcessorConfig config = new SmallRyeConfigBuilder().withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "bench", 400)).build()
                .getConfigMapping(ProcessorConfig.class);
        Map<String, List<Double>> stages = new LinkedHashMap<>();
        List<Double> totals = new ArrayList<>();
        long objects = 0;
        int warmUp = Math.min(60, frames / 5);
        List<ProcessedFrame> last = new ArrayList<>(1);
        try (StreamPipeline measured = new StreamPipeline("bench", new Stages(null, new MotionEngine(config), new MotionStrategy()),
                config, Mode.AUTOMATIC, new SimpleMeterRegistry(), r -> { last.clear(); last.add(r); }, new OverlayFeed(0))) {
            long start = 0;
            for (int i = 0; i < frames + warmUp; i++) {
                if (i == warmUp) {
                    start = System.nanoTime();
                }
                Mat frame = decoded.get(i % decoded.size());
                try (PointerScope scope = new PointerScope()) {
                    measured.process(new FrameMeta("bench", i + 1, i * 33L, i * 33_333L, false, CaptureClock.Source.WALL),
                            i * 33L, frame);
                }
                if (i >= warmUp) {
                    ProcessedFrame r = last.get(0);
                    totals.add(r.processingMs());
                    objects += r.objects().size();
                    r.stageMs().forEach((stage, ms) -> stages.computeIfAbsent(stage, s -> new ArrayList<>()).add(ms));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-45s %7.1f fps  (%.1f objects/frame) per frame: mean %.2f ms, p95 %.2f ms%n", name,
                    frames / seconds, (double) objects / frames, mean(totals), p95(totals));
            StringBuilder line = new StringBuilder("    stages (mean / p95 ms):");
            stages.forEach((stage, ms) -> line.append(String.format(Locale.ROOT, " %s %.2f/%.2f", stage, mean(ms), p95(ms))));
            System.out.println(line);
        }
    }

    private static double mog2(List<Mat> decoded, int frames) {
        BackgroundSubtractorMOG2 mog2 = createBackgroundSubtractorMOG2(300, 16, false);
        Mat fg = new Mat();
        for (int i = 0; i < 60; i++) {
            mog2.apply(decoded.get(i % decoded.size()), fg, -1);
        }
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            mog2.apply(decoded.get(i % decoded.size()), fg, -1);
        }
        double fps = frames / ((System.nanoTime() - start) / 1e9);
        fg.close();
        mog2.close();
        return fps;
    }

    /** Decodes the clip; keeps copies of the pictures when {@code into} is given. Returns decoded frames per second. */
    private static double decode(Path clip, List<Mat> into) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.setVideoOption("threads", "1");
            grabber.start();
            long start = System.nanoTime();
            int n = 0;
            for (Frame f; (f = grabber.grabImage()) != null; n++) {
                if (into != null) {
                    into.add(converter.convert(f).clone());
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double p95(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.95))];
    }
}
