package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.geometry.Pose;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.visionfleet.slam.tracking.StageTimes.Stage;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/**
 * Monocular visual SLAM front end for one stream: features followed by optical flow, a map of triangulated
 * landmarks built at keyframes, the camera pose of every frame from PnP-RANSAC against that map (so the scale
 * stays that of the map, not re-guessed per frame pair), and a windowed bundle adjustment at each keyframe.
 *
 * <p>Lifecycle: {@link TrackingState#INITIALIZING} until a two-view initialisation succeeds, then
 * {@link TrackingState#TRACKING}. When PnP fails, {@link TrackingState#LOST}: each following frame tries to
 * relocalise against the keyframes kept so far and, at the same time, to initialise a new map segment.
 *
 * <p>Not thread-safe: one instance per stream, fed from that stream's thread. Native objects created per frame
 * belong to the caller's {@code PointerScope}; the tracker keeps copies of the previous picture and, while a still
 * camera initialises, of the one its features were last followed into.
 */
public final class MonocularTracker implements AutoCloseable {
    private enum Mode { INITIALIZING, TRACKING, LOST }

    /** Failed searches of the maps a lost camera makes on every frame; then on one frame in {@link #SEARCH_STRIDE}. */
    private static final int EVERY_FRAME_SEARCHES = 10;
    /**
     * A long loss is searched for on one frame in this many. A search (ORB descriptors of 500 corners matched against
     * 20 keyframes) took 5.5 ms a frame on a Zen 4 core, five times a fixed camera's whole frame, for a camera whose
     * view had left its maps for good (docs/benchmarks.md); one that comes back is found within this many frames.
     */
    private static final int SEARCH_STRIDE = 4;

    private final CameraModel camera;
    private final TrackerSettings settings;
    private final ImuPrior imu;
    private final FeatureGrid grid;
    private final OpticalFlow flow;
    private final Initializer initializer;
    private final Relocalizer relocalizer;
    private final LocalBundleAdjustment bundleAdjustment;
    private final MotionModel motion = new MotionModel();
    private final List<MapSegment> segments = new ArrayList<>();

    private MapSegment map;
    private List<Track> tracks = new ArrayList<>();
    private final HeldPicture previous = new HeldPicture();
    private int width;
    private int height;
    private String intrinsicsProblem;
    private Mode mode = Mode.INITIALIZING;
    private int nextKeyframeId;
    private int nextLandmarkId;
    private int lastKeyframeInliers;
    private int framesSinceKeyframe;
    /** Searches since tracking was lost that ran on a picture with features and found nothing. */
    private int failedSearches;
    private int framesSinceSearch;

    public MonocularTracker(CameraModel camera, TrackerSettings settings, ImuPrior imu) {
        this.camera = camera;
        this.settings = settings;
        this.imu = imu;
        this.grid = new FeatureGrid(settings);
        this.flow = new OpticalFlow(settings);
        this.initializer = new Initializer(camera, settings, grid, flow);
        this.relocalizer = new Relocalizer(settings);
        this.bundleAdjustment = new LocalBundleAdjustment(camera, settings);
    }

    /** Why the intrinsics do not fit the pictures seen, or null when they do (or no picture was seen yet). */
    public String intrinsicsProblem() {
        return intrinsicsProblem;
    }

    /**
     * Tracks one 8-bit grey picture taken at {@code timestamp} seconds. Frames must come in time order; a change
     * of picture size starts over as if tracking had been lost.
     */
    public FrameResult process(Mat gray, long frameNumber, double timestamp) {
        if (gray.type() != CV_8UC1) {
            throw new IllegalArgumentException("the tracker takes 8-bit single-channel pictures, got OpenCV type " + gray.type());
        }
        StageTimes times = new StageTimes();
        if (gray.cols() != width || gray.rows() != height) {
            width = gray.cols();
            height = gray.rows();
            intrinsicsProblem = camera.problemWith(width, height);
            if (mode == Mode.TRACKING) {
                lose();
            }
            initializer.reset();
            previous.hold(null);
        }
        if (intrinsicsProblem != null) {
            return new FrameResult(TrackingState.BAD_INTRINSICS, null, false, 0, currentSegmentId(), times);
        }
        try {
            return mode == Mode.TRACKING ? track(gray, frameNumber, timestamp, times) : recover(gray, frameNumber, timestamp, times);
        } finally {
            times.stop();
            previous.hold(gray);
        }
    }

    /** Forgets the current tracks (after a failure outside the tracker, such as a decoding gap); the maps stay. */
    public void reset() {
        if (mode == Mode.TRACKING) {
            lose();
        }
        initializer.reset();
        previous.hold(null);
    }

    /** Map segments built so far (the list and the segments are live: read them on the tracking thread). */
    public List<SegmentView> segments() {
        List<SegmentView> views = new ArrayList<>();
        for (MapSegment s : segments) {
            views.add(new SegmentView(s));
        }
        return views;
    }

    private FrameResult recover(Mat gray, long frameNumber, double timestamp, StageTimes times) {
        boolean searched = mode == Mode.LOST && !segments.isEmpty() && searchDue();
        if (searched) {
            times.start(Stage.RELOCALISATION);
            Relocalizer.Found found = relocalizer.relocalize(gray, segments, camera);
            if (found != null) {
                return adopt(found, gray, frameNumber, timestamp, times);
            }
        }
        times.start(Stage.INITIALISATION);
        Initializer.Result result = initializer.step(previous.get(), gray, frameNumber, timestamp);
        if (searched && !(result instanceof Initializer.NoFeatures)) {
            failedSearches++; // a blackout's pictures, which have nothing to search with, do not make a loss long
        }
        if (result instanceof Initializer.Ready ready) {
            return startSegment(ready, gray, frameNumber, timestamp, times);
        }
        TrackingState state = mode == Mode.LOST ? TrackingState.LOST : TrackingState.INITIALIZING;
        int followed = 0;
        if (result instanceof Initializer.NoFeatures) {
            state = TrackingState.NO_FEATURES;
        } else if (result instanceof Initializer.Waiting waiting) {
            followed = waiting.tracked();
        }
        return new FrameResult(state, null, false, followed, currentSegmentId(), times);
    }

    private FrameResult startSegment(Initializer.Ready ready, Mat gray, long frameNumber, double timestamp, StageTimes times) {
        map = new MapSegment(segments.size());
        segments.add(map);
        // world frame: the reference camera, turned so that world z points up when the IMU says where up is
        double[] toWorld = imu.up(ready.referenceTime()).map(MonocularTracker::rotationTakingToZ).orElse(Mat3.identity());
        Pose worldToReference = new Pose(Mat3.transpose(toWorld), new double[3]);
        Keyframe reference = addKeyframe(ready.referenceFrame(), ready.referenceTime(), worldToReference);
        Keyframe current = addKeyframe(frameNumber, timestamp, ready.current().compose(worldToReference));
        tracks = new ArrayList<>();
        for (int i = 0; i < ready.count(); i++) {
            double[] p = Arrays.copyOfRange(ready.points(), 3 * i, 3 * i + 3);
            Landmark lm = new Landmark(nextLandmarkId++, Mat3.apply(toWorld, p));
            lm.observe(reference, ready.referenceUv()[2 * i], ready.referenceUv()[2 * i + 1]);
            map.landmarks.add(lm);
            Track t = new Track(ready.currentRaw()[2 * i], ready.currentRaw()[2 * i + 1],
                    ready.currentUv()[2 * i], ready.currentUv()[2 * i + 1]);
            t.landmark = lm;
            tracks.add(t);
        }
        motion.reset();
        mode = Mode.TRACKING;
        completeKeyframe(current, gray, times);
        motion.update(current.worldToCamera, timestamp);
        return new FrameResult(TrackingState.TRACKING, current.cameraToWorld(), true, ready.count(), map.id, times);
    }

    private FrameResult adopt(Relocalizer.Found found, Mat gray, long frameNumber, double timestamp, StageTimes times) {
        map = found.segment();
        double[] uv = camera.undistort(found.raw(), found.count());
        tracks = new ArrayList<>();
        for (int i = 0; i < found.count(); i++) {
            Track t = new Track(found.raw()[2 * i], found.raw()[2 * i + 1], uv[2 * i], uv[2 * i + 1]);
            t.landmark = found.landmarks()[i];
            tracks.add(t);
        }
        Keyframe kf = addKeyframe(frameNumber, timestamp, found.worldToCamera());
        motion.reset();
        mode = Mode.TRACKING;
        initializer.reset();
        completeKeyframe(kf, gray, times);
        motion.update(kf.worldToCamera, timestamp);
        return new FrameResult(TrackingState.RELOCALIZED, kf.cameraToWorld(), true, found.count(), map.id, times);
    }

    private FrameResult track(Mat gray, long frameNumber, double timestamp, StageTimes times) {
        times.start(Stage.FLOW);
        Pose predicted = motion.predict(timestamp, imu);
        followTracks(gray, predicted);
        times.start(Stage.POSE);
        List<Track> observing = new ArrayList<>();
        for (Track t : tracks) {
            if (t.landmark != null) {
                observing.add(t);
            }
        }
        int n = observing.size();
        double[] xyz = new double[3 * n];
        double[] uv = new double[2 * n];
        for (int i = 0; i < n; i++) {
            Track t = observing.get(i);
            System.arraycopy(t.landmark.position, 0, xyz, 3 * i, 3);
            uv[2 * i] = t.u;
            uv[2 * i + 1] = t.v;
        }
        PoseSolver.Result solved = PoseSolver.solve(xyz, uv, n, camera, settings.reprojectionPx());
        if (solved == null || solved.inliers() < settings.minTrackedInliers()) {
            lose();
            initializer.step(gray, gray, frameNumber, timestamp);
            return new FrameResult(TrackingState.LOST, null, false, solved == null ? 0 : solved.inliers(),
                    map.id, times);
        }
        for (int i = 0; i < n; i++) {
            if (!solved.inlier()[i]) {
                tracks.remove(observing.get(i));
            }
        }
        Pose pose = solved.worldToCamera();
        framesSinceKeyframe++;
        boolean keyframe = needsKeyframe(solved.inliers(), pose);
        if (keyframe) {
            times.start(Stage.KEYFRAME);
            Keyframe kf = addKeyframe(frameNumber, timestamp, pose);
            completeKeyframe(kf, gray, times);
            pose = kf.worldToCamera;
        }
        motion.update(pose, timestamp);
        return new FrameResult(TrackingState.TRACKING, pose.inverse(), keyframe, solved.inliers(), map.id, times);
    }

    /**
     * Moves every track into {@code gray} by optical flow. Landmark tracks start their search where the
     * predicted pose projects them; candidates start shifted by the landmarks' median predicted motion.
     */
    private void followTracks(Mat gray, Pose predicted) {
        int n = tracks.size();
        float[] from = new float[2 * n];
        float[] guess = new float[2 * n];
        List<Double> shiftX = new ArrayList<>();
        List<Double> shiftY = new ArrayList<>();
        boolean[] guessed = new boolean[n];
        for (int i = 0; i < n; i++) {
            Track t = tracks.get(i);
            from[2 * i] = t.x;
            from[2 * i + 1] = t.y;
            if (t.landmark != null && predicted != null) {
                double[] p = camera.project(predicted.apply(t.landmark.position));
                if (Double.isFinite(p[0]) && p[0] >= 0 && p[1] >= 0 && p[0] < width && p[1] < height) {
                    double[] raw = camera.distort(p[0], p[1]);
                    guess[2 * i] = (float) raw[0];
                    guess[2 * i + 1] = (float) raw[1];
                    guessed[i] = true;
                    shiftX.add(raw[0] - t.x);
                    shiftY.add(raw[1] - t.y);
                }
            }
        }
        double dx = median(shiftX);
        double dy = median(shiftY);
        for (int i = 0; i < n; i++) {
            if (!guessed[i]) {
                guess[2 * i] = (float) (from[2 * i] + dx);
                guess[2 * i + 1] = (float) (from[2 * i + 1] + dy);
            }
        }
        boolean[] ok = new boolean[n];
        float[] to = flow.track(previous.get(), gray, from, guess, n, ok);
        List<Track> kept = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (ok[i] && (tracks.get(i).landmark == null || !tracks.get(i).landmark.bad)) {
                Track t = tracks.get(i);
                t.x = to[2 * i];
                t.y = to[2 * i + 1];
                kept.add(t);
            }
        }
        float[] xy = new float[2 * kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            xy[2 * i] = kept.get(i).x;
            xy[2 * i + 1] = kept.get(i).y;
        }
        double[] uv = camera.undistort(xy, kept.size());
        for (int i = 0; i < kept.size(); i++) {
            kept.get(i).u = uv[2 * i];
            kept.get(i).v = uv[2 * i + 1];
        }
        tracks = kept;
    }

    private boolean needsKeyframe(int inliers, Pose pose) {
        if (framesSinceKeyframe < 3) {
            return false;
        }
        if (inliers < settings.keyframeMinInliers() || inliers < settings.keyframeInlierRatio() * lastKeyframeInliers) {
            return true;
        }
        List<Double> parallax = new ArrayList<>();
        for (Track t : tracks) {
            if (t.landmark == null && t.origin != null) {
                double[] b0 = Triangulation.worldBearing(t.origin.worldToCamera, camera.ray(t.originU, t.originV));
                double[] b1 = Triangulation.worldBearing(pose, camera.ray(t.u, t.v));
                parallax.add(Triangulation.parallaxDeg(b0, b1));
            }
        }
        return !parallax.isEmpty() && median(parallax) >= settings.keyframeParallaxDeg();
    }

    private Keyframe addKeyframe(long frameNumber, double timestamp, Pose worldToCamera) {
        Keyframe kf = new Keyframe(nextKeyframeId++, frameNumber, timestamp, worldToCamera);
        map.keyframes.add(kf);
        forgetBeyondLimit();
        return kf;
    }

    /** Keeps the keyframe count within the limit: whole older segments go first, then the current one's oldest. */
    private void forgetBeyondLimit() {
        int total = segments.stream().mapToInt(s -> s.keyframes.size()).sum();
        while (total > settings.maxKeyframes()) {
            MapSegment oldest = segments.stream().filter(s -> s != map && !s.keyframes.isEmpty()).findFirst().orElse(map);
            if (oldest == map && map.keyframes.size() <= settings.windowKeyframes() + 1) {
                return;
            }
            oldest.forgetOldestKeyframe();
            total--;
        }
    }

    /**
     * Makes {@code kf} a full keyframe: it observes the landmarks tracked now, candidates with enough
     * parallax become landmarks, empty grid cells get new candidates, landmark descriptors are stored for
     * relocalisation, and the local window is bundle-adjusted.
     */
    private void completeKeyframe(Keyframe kf, Mat gray, StageTimes times) {
        times.start(Stage.KEYFRAME);
        double limit = settings.reprojectionPx() * settings.reprojectionPx();
        for (Track t : tracks) {
            if (t.landmark != null) {
                t.landmark.observe(kf, t.u, t.v);
            } else if (t.origin != null && t.origin != kf) {
                triangulate(t, kf, limit);
            }
        }
        addCandidates(kf, gray);
        describeLandmarks(kf, gray);
        times.start(Stage.BUNDLE_ADJUSTMENT);
        bundleAdjustment.run(map);
        tracks.removeIf(t -> t.landmark != null && t.landmark.bad);
        times.start(Stage.KEYFRAME);
        lastKeyframeInliers = (int) tracks.stream().filter(t -> t.landmark != null).count();
        framesSinceKeyframe = 0;
    }

    private void triangulate(Track t, Keyframe kf, double limit) {
        double[] b0 = Triangulation.worldBearing(t.origin.worldToCamera, camera.ray(t.originU, t.originV));
        double[] b1 = Triangulation.worldBearing(kf.worldToCamera, camera.ray(t.u, t.v));
        if (Triangulation.parallaxDeg(b0, b1) < settings.minTriangulationDeg()) {
            return;
        }
        double[] x = Triangulation.point(Triangulation.centre(t.origin.worldToCamera), b0,
                Triangulation.centre(kf.worldToCamera), b1);
        if (x == null || PoseSolver.squaredError(t.origin.worldToCamera, x, t.originU, t.originV, camera) > limit
                || PoseSolver.squaredError(kf.worldToCamera, x, t.u, t.v, camera) > limit) {
            return;
        }
        Landmark lm = new Landmark(nextLandmarkId++, x);
        lm.observe(t.origin, t.originU, t.originV);
        lm.observe(kf, t.u, t.v);
        map.landmarks.add(lm);
        t.landmark = lm;
        t.origin = null;
    }

    private void addCandidates(Keyframe kf, Mat gray) {
        boolean[] occupied = new boolean[grid.cells()];
        for (Track t : tracks) {
            int c = grid.cell(t.x, t.y, width, height);
            if (c >= 0) {
                occupied[c] = true;
            }
        }
        float[] xy = grid.detect(gray, occupied, settings.kltWindow() / 2);
        int n = xy.length / 2;
        double[] uv = camera.undistort(xy, n);
        for (int i = 0; i < n; i++) {
            Track t = new Track(xy[2 * i], xy[2 * i + 1], uv[2 * i], uv[2 * i + 1]);
            t.origin = kf;
            t.originU = uv[2 * i];
            t.originV = uv[2 * i + 1];
            tracks.add(t);
        }
    }

    private void describeLandmarks(Keyframe kf, Mat gray) {
        List<Track> observing = tracks.stream().filter(t -> t.landmark != null).toList();
        float[] xy = new float[2 * observing.size()];
        for (int i = 0; i < observing.size(); i++) {
            xy[2 * i] = observing.get(i).x;
            xy[2 * i + 1] = observing.get(i).y;
        }
        long[][] descriptors = relocalizer.describe(gray, xy, observing.size());
        List<long[]> kept = new ArrayList<>();
        List<Landmark> described = new ArrayList<>();
        for (int i = 0; i < descriptors.length; i++) {
            if (descriptors[i] != null) {
                kept.add(descriptors[i]);
                described.add(observing.get(i).landmark);
            }
        }
        kf.descriptors = kept.toArray(new long[0][]);
        kf.described = described.toArray(new Landmark[0]);
    }

    /** Whether this lost frame searches the maps: every one at first, then one in {@link #SEARCH_STRIDE}. */
    private boolean searchDue() {
        if (failedSearches < EVERY_FRAME_SEARCHES || ++framesSinceSearch >= SEARCH_STRIDE) {
            framesSinceSearch = 0;
            return true;
        }
        return false;
    }

    private void lose() {
        mode = Mode.LOST;
        failedSearches = 0;
        framesSinceSearch = 0;
        tracks = new ArrayList<>();
        motion.reset();
        initializer.reset();
    }

    private int currentSegmentId() {
        return mode == Mode.TRACKING ? map.id : segments.size();
    }

    /** The rotation that turns unit vector {@code up} onto +z, taking the shortest way. */
    static double[] rotationTakingToZ(double[] up) {
        double[] z = {0, 0, 1};
        double[] axis = Mat3.cross(up, z);
        double s = Mat3.norm(axis);
        double c = Mat3.dot(up, z);
        if (s < 1e-12) {
            return c > 0 ? Mat3.identity() : Mat3.exp(new double[]{Math.PI, 0, 0});
        }
        return Mat3.exp(Mat3.times(axis, Math.atan2(s, c) / s));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    @Override
    public void close() {
        previous.close();
        initializer.close();
        grid.close();
        relocalizer.close();
    }

    /** Read-only view of a map segment for export. */
    public static final class SegmentView {
        private final MapSegment segment;

        SegmentView(MapSegment segment) {
            this.segment = segment;
        }

        public int id() {
            return segment.id;
        }

        /** Landmark positions, packed xyz. */
        public double[] points() {
            double[] xyz = new double[3 * segment.landmarks.size()];
            int i = 0;
            for (Landmark lm : segment.landmarks) {
                if (!lm.bad) {
                    System.arraycopy(lm.position, 0, xyz, 3 * i++, 3);
                }
            }
            return Arrays.copyOf(xyz, 3 * i);
        }

        /** Keyframe frame numbers, timestamps and refined camera-to-world poses. */
        public List<KeyframePose> keyframes() {
            List<KeyframePose> out = new ArrayList<>();
            for (Keyframe kf : segment.keyframes) {
                out.add(new KeyframePose(kf.frameNumber, kf.timestamp, kf.cameraToWorld()));
            }
            return out;
        }
    }

    /** A keyframe's identity and refined pose. */
    public record KeyframePose(long frameNumber, double timestamp, Pose cameraToWorld) {
    }
}
