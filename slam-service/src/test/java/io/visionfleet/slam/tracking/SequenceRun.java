package io.visionfleet.slam.tracking;

import io.visionfleet.sim.camera.CameraPose;
import io.visionfleet.sim.camera.PinholeCamera;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.slam.eval.Association;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TrajectoryError;
import io.visionfleet.slam.geometry.Pose;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * Runs a {@link MonocularTracker} over a synthetic sequence's MP4, decoded by FFmpeg, outside the service (no
 * relay, no bus) so accuracy tests are fast; collects what the tracker said about every frame and scores the
 * trajectory against the ground truth.
 */
final class SequenceRun {
    final List<FrameResult> results = new ArrayList<>();
    final List<StampedPose> estimate = new ArrayList<>();
    final List<StampedPose> truth = new ArrayList<>();
    final List<Integer> segments = new ArrayList<>();
    int firstTracked = -1;

    /** Target directory shared by the test classes, where generated sequences are cached. */
    static Path cacheDir() {
        return Path.of("target", "synthetic");
    }

    static CameraModel cameraOf(SyntheticSequence seq) {
        PinholeCamera c = seq.camera();
        return CameraModel.pinhole(c.fx(), c.fy(), c.cx(), c.cy());
    }

    static Pose pose(CameraPose p) {
        return new Pose(p.r(), p.t());
    }

    /** Tracks every frame of the cached MP4 of {@code seq}. */
    static SequenceRun of(SyntheticSequence seq, MonocularTracker tracker) throws Exception {
        return of(seq, tracker, IntUnaryOperator.identity(), seq.frames());
    }

    /**
     * Tracks {@code count} frames: frame k of the run is picture {@code order(k)} of the sequence (a negative
     * index stands for a black picture), at time {@code k / fps}.
     */
    static SequenceRun of(SyntheticSequence seq, MonocularTracker tracker, IntUnaryOperator order, int count) throws Exception {
        List<Mat> pictures = decode(seq);
        SequenceRun run = new SequenceRun();
        try {
            for (int k = 0; k < count; k++) {
                int index = order.applyAsInt(k);
                double time = k / (double) seq.fps();
                try (PointerScope scope = new PointerScope()) {
                    Mat gray = index >= 0 ? pictures.get(index) : black(pictures.get(0));
                    FrameResult r = tracker.process(gray, k + 1, time);
                    run.results.add(r);
                    if (r.state().hasPose()) {
                        if (run.firstTracked < 0) {
                            run.firstTracked = k;
                        }
                        run.estimate.add(new StampedPose(time, r.cameraToWorld()));
                        run.segments.add(r.segment());
                        run.truth.add(new StampedPose(time, pose(seq.pose(Math.max(index, 0)))));
                    }
                }
            }
        } finally {
            pictures.forEach(Mat::releaseReference);
        }
        return run;
    }

    private static Mat black(Mat like) {
        return new Mat(like.rows(), like.cols(), like.type(), new org.bytedeco.opencv.opencv_core.Scalar(0.0));
    }

    /** Every picture of the sequence's MP4 as grey images (kept beyond any scope until released). */
    static List<Mat> decode(SyntheticSequence seq) throws Exception {
        Path mp4 = seq.cached(cacheDir()).mp4();
        List<Mat> out = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            grabber.start();
            for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                try (PointerScope scope = new PointerScope()) {
                    Mat gray = new Mat();
                    cvtColor(converter.convert(f), gray, COLOR_BGR2GRAY);
                    gray.retainReference();
                    out.add(gray);
                }
            }
        }
        return out;
    }

    long tracked() {
        return results.stream().filter(r -> r.state().hasPose()).count();
    }

    long untracked() {
        return results.size() - tracked();
    }

    TrajectoryError.Ate ate() {
        return TrajectoryError.ate(Association.associate(estimate, truth, Association.DEFAULT_MAX_DIFFERENCE), true);
    }

    TrajectoryError.Rpe rpe(int delta, double scale) {
        return TrajectoryError.rpe(Association.associate(estimate, truth, Association.DEFAULT_MAX_DIFFERENCE), delta, scale);
    }

    String timing() {
        double[] ms = results.stream().mapToDouble(r -> r.timings().totalNanos() / 1e6).sorted().toArray();
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "tracker ms: mean=%.2f p50=%.2f p95=%.2f max=%.2f;",
                java.util.Arrays.stream(ms).average().orElse(0), ms[ms.length / 2], ms[(int) (ms.length * 0.95)], ms[ms.length - 1]));
        for (StageTimes.Stage stage : StageTimes.Stage.values()) {
            double total = results.stream().mapToDouble(r -> r.timings().nanos(stage) / 1e6).sum();
            sb.append(String.format(java.util.Locale.ROOT, " %s=%.2f", stage, total / results.size()));
        }
        return sb.toString();
    }

    String summary(double pathLength) {
        TrajectoryError.Ate ate = ate();
        return String.format(java.util.Locale.ROOT,
                "frames=%d tracked=%d untracked=%d firstTracked=%d ATE=%.4f m (%.3f%% of %.2f m) scale=%.4f rot=%.3f/%.3f deg segments=%s",
                results.size(), tracked(), untracked(), firstTracked, ate.rmse(), 100 * ate.rmse() / pathLength,
                pathLength, ate.scale(), ate.rotationRmseDeg(), ate.orientationRmseDeg(), segments.stream().distinct().toList());
    }
}
