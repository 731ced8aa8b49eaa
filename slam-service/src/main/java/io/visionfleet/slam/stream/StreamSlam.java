package io.visionfleet.slam.stream;

import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.messages.FrameTiming;
import io.visionfleet.common.messages.SlamResult;
import io.visionfleet.slam.config.CameraModels;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TumTrajectory;
import io.visionfleet.slam.gps.GpsScale;
import io.visionfleet.slam.gps.SegmentScales;
import io.visionfleet.slam.output.PlyWriter;
import io.visionfleet.slam.output.TrajectoryLog;
import io.visionfleet.slam.tracking.CameraModel;
import io.visionfleet.slam.tracking.FrameResult;
import io.visionfleet.slam.tracking.ImuPrior;
import io.visionfleet.slam.tracking.MonocularTracker;
import io.visionfleet.slam.tracking.StageTimes;
import io.visionfleet.slam.tracking.TrackerSettings;
import io.visionfleet.slam.tracking.TrackingState;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * The SLAM pipeline of one stream: frame skipping, intrinsics for the stream's picture size, the tracker, the
 * published result (with the segment's metric scale once GPS gives one) and the trajectory kept for export.
 * It is the stream's consumer session: closing it, when the stream is unfollowed, the service stops or the stream
 * went idle, writes the final results and releases the tracker. Frames arrive on the stream's thread; exports
 * come from HTTP threads, so every entry point holds this object's lock (exports are short).
 */
public final class StreamSlam implements StreamSession {
    private static final Logger LOG = Logger.getLogger(StreamSlam.class);

    /** A processed frame: the message to publish, the tracker's result and the colour picture (valid in the frame scope). */
    record Output(SlamResult message, FrameResult result, Mat bgr) {
    }

    private final String streamId;
    private final FrameSkip frameSkip;
    private final TrackerSettings settings;
    private final CameraModels cameras;
    private final ImuPrior imu;
    private final TrajectoryLog trajectory;
    private final StateLog stateLog;
    private final SegmentScales scales;
    private final Path finalDir;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private MonocularTracker tracker;
    private CameraModels.Resolved resolved;
    private int width;
    private int height;
    /** Segments of trackers replaced after a picture size change, so segment ids keep increasing. */
    private int segmentBase;
    private long processed;
    private long tracked;
    private long failures;
    private TrackingState state = TrackingState.INITIALIZING;
    private int segment;

    StreamSlam(String streamId, int frameSkip, TrackerSettings settings, CameraModels cameras, ImuPrior imu,
               SegmentScales scales, int maxPoses, Path finalDir) {
        this.streamId = streamId;
        this.frameSkip = new FrameSkip(frameSkip);
        this.settings = settings;
        this.cameras = cameras;
        this.imu = imu;
        this.trajectory = new TrajectoryLog(maxPoses);
        this.stateLog = new StateLog(streamId);
        this.scales = scales;
        this.finalDir = finalDir;
    }

    /** Processes a frame, or returns null when frame skipping passes over it. */
    synchronized Output process(DecodedFrame frame) {
        if (!frameSkip.take()) {
            return null;
        }
        long startedTs = System.currentTimeMillis();
        long start = System.nanoTime();
        FrameMeta meta = frame.meta();
        Mat bgr = converter.convert(frame.image());
        FrameResult result = track(bgr, meta);
        long engineTs = System.currentTimeMillis();
        double ms = (System.nanoTime() - start) / 1e6;
        processed++;
        state = result.state();
        segment = segmentBase + result.segment();
        double captureSeconds = meta.captureTs() / 1000.0;
        double[] pose = null;
        Double scale = null;
        if (result.state().hasPose()) {
            tracked++;
            pose = result.cameraToWorld().toRowMajor4x4();
            trajectory.add(segment, new StampedPose(captureSeconds, result.cameraToWorld()));
            scale = (result.keyframe() ? refitScale(result.segment()) : scales.get(segment))
                    .map(GpsScale.Fit::scale).orElse(null);
        }
        stateLog.observe(state, segment, state == TrackingState.BAD_INTRINSICS ? intrinsicsProblem() : null);
        SlamResult message = new SlamResult(SlamResult.SCHEMA, streamId, meta.frameNumber(), meta.ptsUs() / 1e6,
                meta.captureTs(), pose, result.keyframe(), state.wireName(), result.inliers(), segment, ms,
                scale, scale == null ? null : SlamResult.SCALE_SOURCE_GPS,
                new FrameTiming(frame.decodedTs(), startedTs, engineTs, System.currentTimeMillis()));
        return new Output(message, result, bgr);
    }

    /** Refits the metric scale of the tracker's segment {@code trackerSegment}, which has just gained a keyframe. */
    private Optional<GpsScale.Fit> refitScale(int trackerSegment) {
        for (MonocularTracker.SegmentView s : tracker.segments()) {
            if (s.id() == trackerSegment) {
                return scales.update(segmentBase + s.id(), s.keyframes());
            }
        }
        return scales.get(segmentBase + trackerSegment);
    }

    private FrameResult track(Mat bgr, FrameMeta meta) {
        if (bgr.cols() != width || bgr.rows() != height) {
            width = bgr.cols();
            height = bgr.rows();
            resolved = cameras.forStream(streamId, width, height);
            if (tracker != null) {
                segmentBase += tracker.segments().size();
                tracker.close();
                tracker = null;
            }
            if (resolved.model() != null) {
                tracker = new MonocularTracker(resolved.model(), settings, imu);
                LOG.infof("stream %s: %dx%d, %s intrinsics %s", streamId, width, height,
                        resolved.configured() ? "configured" : "default", resolved.model());
            }
        }
        if (tracker == null) {
            return new FrameResult(TrackingState.BAD_INTRINSICS, null, false, 0, 0, new StageTimes());
        }
        Mat gray = new Mat();
        cvtColor(bgr, gray, COLOR_BGR2GRAY);
        try {
            return tracker.process(gray, meta.frameNumber(), meta.captureTs() / 1000.0);
        } catch (RuntimeException e) {
            // a native failure leaves the tracker's tracks undefined: start over from the next frame
            failures++;
            if (failures == 1 || failures % 1000 == 0) {
                LOG.errorf(e, "stream %s: tracking failed on frame %d (%d failures so far); tracking restarts",
                        streamId, meta.frameNumber(), failures);
            }
            tracker.reset();
            return new FrameResult(TrackingState.LOST, null, false, 0, segment - segmentBase, new StageTimes());
        }
    }

    private String intrinsicsProblem() {
        if (resolved == null) {
            return null;
        }
        if (resolved.problem() != null) {
            return resolved.problem();
        }
        return tracker == null ? null : tracker.intrinsicsProblem();
    }

    public synchronized SlamStatus status() {
        List<SlamStatus.Segment> segments = new ArrayList<>();
        if (tracker != null) {
            for (MonocularTracker.SegmentView s : tracker.segments()) {
                int id = segmentBase + s.id();
                segments.add(new SlamStatus.Segment(id, s.keyframes().size(), s.points().length / 3,
                        scales.get(id).orElse(null)));
            }
        }
        double[] intrinsics = null;
        if (resolved != null && resolved.model() != null) {
            CameraModel m = resolved.model();
            double[] d = m.distortion();
            intrinsics = new double[4 + d.length];
            intrinsics[0] = m.fx();
            intrinsics[1] = m.fy();
            intrinsics[2] = m.cx();
            intrinsics[3] = m.cy();
            System.arraycopy(d, 0, intrinsics, 4, d.length);
        }
        return new SlamStatus(streamId, state.wireName(), segment, processed, tracked, failures, intrinsics,
                intrinsicsProblem(), segments);
    }

    public TrajectoryLog trajectory() {
        return trajectory;
    }

    /** The sparse map of every segment of the current tracker. */
    public synchronized List<PlyWriter.Cloud> clouds() {
        List<PlyWriter.Cloud> clouds = new ArrayList<>();
        if (tracker != null) {
            for (MonocularTracker.SegmentView s : tracker.segments()) {
                clouds.add(new PlyWriter.Cloud(segmentBase + s.id(), s.points()));
            }
        }
        return clouds;
    }

    /**
     * Writes the final results (see {@link #writeFinal}), then releases the tracker:
     * later status reads see no map.
     */
    @Override
    public synchronized void close() {
        try {
            writeFinal();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("stream %s: cannot write its final trajectory under %s: %s", streamId,
                    finalDir.toAbsolutePath(), e.getMessage());
        }
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
        converter.close();
    }

    /**
     * Writes {@code trajectory-<segment>.tum} (published poses), {@code keyframes-<segment>.tum} (keyframe poses
     * after bundle adjustment) and {@code map.ply} into the stream's directory.
     */
    private void writeFinal() throws IOException {
        if (processed == 0) {
            return;
        }
        Files.createDirectories(finalDir);
        for (int s : trajectory.segments()) {
            Files.writeString(finalDir.resolve("trajectory-" + s + ".tum"), trajectory.tum(streamId, s));
        }
        if (tracker != null) {
            for (MonocularTracker.SegmentView s : tracker.segments()) {
                List<StampedPose> poses = s.keyframes().stream()
                        .map(k -> new StampedPose(k.timestamp(), k.cameraToWorld())).toList();
                TumTrajectory.write(finalDir.resolve("keyframes-" + (segmentBase + s.id()) + ".tum"), poses);
            }
        }
        try (Writer out = Files.newBufferedWriter(finalDir.resolve("map.ply"))) {
            PlyWriter.write(out, "vision-fleet slam-service stream " + streamId, clouds());
        }
    }
}
