package io.visionfleet.slam.bench;

import io.visionfleet.sim.camera.PinholeCamera;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.eval.Association;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TrajectoryError;
import io.visionfleet.slam.geometry.Pose;
import io.visionfleet.slam.tracking.CameraModel;
import io.visionfleet.slam.tracking.FrameResult;
import io.visionfleet.slam.tracking.ImuPrior;
import io.visionfleet.slam.tracking.MonocularTracker;
import io.visionfleet.slam.tracking.StageTimes;
import io.visionfleet.slam.tracking.TrackerSettings;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.goodFeaturesToTrack;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowPyrLK;

/**
 * Throughput of the tracker on the 640x480 synthetic sequence (450 frames), with references measured in the same
 * run: FFmpeg decoding of the same clip, and the bare OpenCV front end of two-frame VO demos (Shi-Tomasi corners
 * plus pyramidal KLT, no geometry). Run with {@code bench/slam/run.sh}; writes {@code target/slam-bench.md}.
 */
@EnabledIfSystemProperty(named = "fleet.bench.slam", matches = "true")
@Tag("integration")
class SlamBenchmark {
    private static final int W = Integer.getInteger("fleet.bench.width", 640);
    private static final int H = Integer.getInteger("fleet.bench.height", 480);
    private static final int PASSES = Integer.getInteger("fleet.bench.passes", 3);
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void run() throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        Path mp4 = seq.cached(Path.of("target", "synthetic")).mp4();
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "%dx%d, %d frames, %d cores, OpenCV %s%n%n", W, H, seq.frames(),
                Runtime.getRuntime().availableProcessors(), opencv_core.CV_VERSION()));
        report.append("| stage | threads | mean ms | p50 ms | p95 ms | p99 ms | max ms | fps (1/mean) | CPU ms/frame |\n");
        report.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");

        List<Mat> frames = new ArrayList<>();
        Series decode = decode(mp4, frames);
        report.append(decode.row("FFmpeg decode + BGR->grey", "ffmpeg"));
        for (int threads : new int[]{1, 2}) {
            opencv_core.setNumThreads(threads);
            Series klt = opencvFrontEnd(frames);
            report.append(klt.row("OpenCV corners + KLT (reference)", Integer.toString(threads)));
            Series tracker = null;
            StageTotals stages = null;
            String accuracy = "";
            for (int pass = 0; pass < PASSES; pass++) { // the first passes warm the JIT; the last one is reported
                stages = new StageTotals();
                List<StampedPose> estimate = new ArrayList<>();
                List<StampedPose> truth = new ArrayList<>();
                tracker = track(seq, frames, stages, estimate, truth);
                TrajectoryError.Ate ate = TrajectoryError.ate(Association.associate(estimate, truth, 0.01), true);
                accuracy = String.format(Locale.ROOT,
                        "tracked %d/%d, ATE %.4f m = %.3f%% of path, scale %.3f, rotation %.2f/%.2f deg",
                        estimate.size(), frames.size(), ate.rmse(), 100 * ate.rmse() / seq.path().length(), ate.scale(),
                        ate.rotationRmseDeg(), ate.orientationRmseDeg());
            }
            report.append(tracker.row("slam tracker (" + accuracy + ")", Integer.toString(threads)));
            report.append(stages.rows(frames.size(), Integer.toString(threads)));
        }
        frames.forEach(Mat::releaseReference);
        String text = report.toString();
        System.out.println(text);
        Files.writeString(Path.of("target", "slam-bench.md"), text);
    }

    private static Series decode(Path mp4, List<Mat> out) throws IOException {
        Series s = new Series();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            while (true) {
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                Frame f = grabber.grabImage();
                if (f == null) {
                    break;
                }
                try (PointerScope scope = new PointerScope()) {
                    Mat gray = new Mat();
                    cvtColor(converter.convert(f), gray, COLOR_BGR2GRAY);
                    gray.retainReference();
                    out.add(gray);
                }
                s.add(System.nanoTime() - t0, CPU.getCurrentThreadCpuTime() - c0);
            }
        }
        return s;
    }

    /** What two-frame VO demos run per frame: re-detect 300 corners, track them into the next frame. */
    private static Series opencvFrontEnd(List<Mat> frames) {
        Series s = new Series();
        for (int pass = 0; pass < 2; pass++) {
            s = new Series();
            for (int i = 1; i < frames.size(); i++) {
                try (PointerScope scope = new PointerScope()) {
                    long t0 = System.nanoTime();
                    long c0 = CPU.getCurrentThreadCpuTime();
                    Mat corners = new Mat();
                    goodFeaturesToTrack(frames.get(i - 1), corners, 300, 0.01, 10);
                    Mat next = new Mat();
                    Mat status = new Mat();
                    Mat err = new Mat();
                    calcOpticalFlowPyrLK(frames.get(i - 1), frames.get(i), corners, next, status, err, new Size(15, 15), 3,
                            new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 10, 0.03), 0, 1e-4);
                    s.add(System.nanoTime() - t0, CPU.getCurrentThreadCpuTime() - c0);
                }
            }
        }
        return s;
    }

    private static Series track(SyntheticSequence seq, List<Mat> frames, StageTotals stages, List<StampedPose> estimate,
                                List<StampedPose> truth) {
        PinholeCamera c = seq.camera();
        Series s = new Series();
        try (MonocularTracker tracker = new MonocularTracker(CameraModel.pinhole(c.fx(), c.fy(), c.cx(), c.cy()),
                TrackerSettings.defaults(), ImuPrior.NONE)) {
            for (int i = 0; i < frames.size(); i++) {
                try (PointerScope scope = new PointerScope()) {
                    long t0 = System.nanoTime();
                    long c0 = CPU.getCurrentThreadCpuTime();
                    FrameResult r = tracker.process(frames.get(i), i + 1, seq.timestamp(i));
                    s.add(System.nanoTime() - t0, CPU.getCurrentThreadCpuTime() - c0);
                    stages.add(r.timings());
                    if (r.state().hasPose()) {
                        estimate.add(new StampedPose(seq.timestamp(i), r.cameraToWorld()));
                        truth.add(new StampedPose(seq.timestamp(i), new Pose(seq.pose(i).r(), seq.pose(i).t())));
                    }
                }
            }
        }
        return s;
    }

    /** Wall and CPU time per frame. */
    private static final class Series {
        private final List<Long> wall = new ArrayList<>();
        private long cpu;

        void add(long wallNanos, long cpuNanos) {
            wall.add(wallNanos);
            cpu += cpuNanos;
        }

        String row(String name, String threads) {
            double[] ms = wall.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
            double mean = Arrays.stream(ms).average().orElse(0);
            return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f |%n", name, threads,
                    mean, pct(ms, 0.5), pct(ms, 0.95), pct(ms, 0.99), ms[ms.length - 1], 1000 / mean, cpu / 1e6 / ms.length);
        }

        private static double pct(double[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
        }
    }

    /** Mean milliseconds per frame of each tracker stage. */
    private static final class StageTotals {
        private final long[] nanos = new long[StageTimes.Stage.values().length];

        void add(StageTimes t) {
            for (StageTimes.Stage s : StageTimes.Stage.values()) {
                nanos[s.ordinal()] += t.nanos(s);
            }
        }

        String rows(int frames, String threads) {
            StringBuilder sb = new StringBuilder();
            for (StageTimes.Stage s : StageTimes.Stage.values()) {
                sb.append(String.format(Locale.ROOT, "| &nbsp;&nbsp;stage %s | %s | %.2f | | | | | | |%n",
                        s.name().toLowerCase(Locale.ROOT), threads, nanos[s.ordinal()] / 1e6 / frames));
            }
            return sb.toString();
        }
    }
}
