package io.visionfleet.slam.tracking;

import io.visionfleet.common.geometry.RansacIterations;
import io.visionfleet.slam.geometry.Pose;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Arrays;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.findEssentialMat;
import static org.bytedeco.opencv.global.opencv_calib3d.recoverPose;

/**
 * Two-view map initialisation. Features of a reference frame are followed by optical flow; once they have
 * moved enough, the essential matrix (five-point algorithm in RANSAC) gives the relative motion, the inliers
 * are triangulated, and the result is accepted only with enough well-triangulated points and enough
 * parallax. The parallax check is what rejects a rotating or static camera, whose essential matrix is
 * meaningless. Scale is set so that the median depth in the reference frame is 1.
 *
 * <p>A camera that stands still can never give parallax, and a fixed one waits here for good, following its
 * features on every frame (the forward-backward flow is nearly all of a waiting frame's cost). While the features have
 * not moved since the reference, they are followed on every {@link #STILL_STRIDE}th frame only: a camera that starts
 * to move is noticed that many frames later at most, a delay that the parallax it must then build dwarfs.
 */
final class Initializer implements AutoCloseable {
    /** Median shift since the reference, in pixels, below which the camera counts as still. */
    private static final double STILL_PX = 0.5;
    /** A still camera's features are followed on every so many frames. */
    private static final int STILL_STRIDE = 3;
    /** Confidence of the essential matrix's RANSAC. */
    private static final double RANSAC_CONFIDENCE = 0.999;
    /** The most iterations it runs: OpenCV's own cap for this call. */
    private static final int RANSAC_MAX_ITERATIONS = 1000;

    /** Outcome of one frame. */
    sealed interface Result permits NoFeatures, Waiting, Ready {
    }

    /** The reference frame has too little texture. */
    record NoFeatures(int found) implements Result {
    }

    /** Following {@code tracked} features, not enough parallax yet. */
    record Waiting(int tracked) implements Result {
    }

    /**
     * A two-view map in the reference camera's frame.
     *
     * @param referenceFrame  frame number of the reference
     * @param referenceTime   its timestamp
     * @param current         world(reference)-to-camera pose of the current frame
     * @param points          triangulated points, packed xyz
     * @param referenceUv     their ideal pixels in the reference, packed
     * @param currentUv       their ideal pixels now, packed
     * @param currentRaw      their raw pixels now, packed
     * @param count           number of points
     */
    record Ready(long referenceFrame, double referenceTime, Pose current, double[] points, double[] referenceUv,
                 double[] currentUv, float[] currentRaw, int count) implements Result {
    }

    private final CameraModel camera;
    private final TrackerSettings settings;
    private final FeatureGrid grid;
    private final OpticalFlow flow;

    private boolean hasReference;
    private long referenceFrame;
    private double referenceTime;
    private int initialCount;
    private int frames;
    private int count;
    private double[] referenceUv;
    private float[] current;
    /** While the camera is still: the picture the features were last followed into, which later frames start from. */
    private final HeldPicture followed = new HeldPicture();
    private boolean still;
    private int waited;

    Initializer(CameraModel camera, TrackerSettings settings, FeatureGrid grid, OpticalFlow flow) {
        this.camera = camera;
        this.settings = settings;
        this.grid = grid;
        this.flow = flow;
    }

    /** Makes the next frame the reference. */
    void reset() {
        hasReference = false;
    }

    /** Processes {@code gray}; {@code prev} is the previous frame (ignored when a new reference is taken). */
    Result step(Mat prev, Mat gray, long frameNumber, double timestamp) {
        if (!hasReference) {
            return takeReference(gray, frameNumber, timestamp);
        }
        frames++;
        if (still && ++waited < STILL_STRIDE) {
            return new Waiting(count);
        }
        waited = 0;
        boolean[] ok = new boolean[count];
        float[] next = flow.track(still ? followed.get() : prev, gray, current, current, count, ok);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (ok[i]) {
                referenceUv[2 * kept] = referenceUv[2 * i];
                referenceUv[2 * kept + 1] = referenceUv[2 * i + 1];
                current[2 * kept] = next[2 * i];
                current[2 * kept + 1] = next[2 * i + 1];
                kept++;
            }
        }
        count = kept;
        if (count < settings.initMinPoints() || count < initialCount / 2 || frames > settings.initMaxFrames()) {
            return takeReference(gray, frameNumber, timestamp);
        }
        double[] currentUv = camera.undistort(current, count);
        double shift = medianShift(currentUv);
        still = shift < STILL_PX;
        if (still) {
            followed.hold(gray); // the next frames skipped, the one after them is followed from this picture
        }
        if (shift < minShiftPx(gray.cols())) {
            return new Waiting(count);
        }
        Ready ready = solve(currentUv);
        return ready != null ? ready : new Waiting(count);
    }

    @Override
    public void close() {
        followed.close();
    }

    private Result takeReference(Mat gray, long frameNumber, double timestamp) {
        float[] xy = grid.detect(gray, new boolean[grid.cells()], settings.kltWindow() / 2);
        int n = xy.length / 2;
        if (n < settings.minFeatures()) {
            hasReference = false;
            return new NoFeatures(n);
        }
        hasReference = true;
        still = false;
        waited = 0;
        referenceFrame = frameNumber;
        referenceTime = timestamp;
        initialCount = n;
        count = n;
        frames = 0;
        current = xy;
        referenceUv = camera.undistort(xy, n);
        return new Waiting(n);
    }

    /** About 1 % of the picture width: below that, parallax cannot reach the threshold at usual depths. */
    private static double minShiftPx(int width) {
        return Math.max(3, width / 100.0);
    }

    private double medianShift(double[] uv) {
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            d[i] = Math.hypot(uv[2 * i] - referenceUv[2 * i], uv[2 * i + 1] - referenceUv[2 * i + 1]);
        }
        Arrays.sort(d);
        return d[count / 2];
    }

    /**
     * RANSAC iterations that draw, with {@link #RANSAC_CONFIDENCE}, a sample of five inliers of a motion that
     * {@code minInliers} of {@code count} points fit, if there is one. A motion that fewer points fit cannot
     * initialise, so searching longer for it is waste: RANSAC stops early only once it has found many inliers, and on a
     * clip where no motion fitted enough of a few dozen followed features a try took 35 ms on a Zen 4 core (an
     * iteration of the five-point solver about 0.13 ms), with a try on every other frame (docs/benchmarks.md).
     */
    static int ransacIterations(int count, int minInliers) {
        return RansacIterations.forShare((double) minInliers / count, 5, RANSAC_CONFIDENCE, RANSAC_MAX_ITERATIONS);
    }

    private Ready solve(double[] currentUv) {
        Mat p0 = NativeMats.points2d(referenceUv, count);
        Mat p1 = NativeMats.points2d(currentUv, count);
        Mat k = camera.cameraMatrix();
        Mat mask = new Mat();
        Mat e = findEssentialMat(p0, p1, k, RANSAC, RANSAC_CONFIDENCE, 1.0,
                ransacIterations(count, settings.initMinPoints()), mask);
        if (e.rows() < 3 || e.cols() != 3) {
            return null;
        }
        if (e.rows() > 3) {
            e = e.rowRange(0, 3); // several solutions: take the first, RANSAC scored them all
        }
        Mat r = new Mat();
        Mat t = new Mat();
        int good = recoverPose(e, p0, p1, k, r, t, mask);
        if (good < settings.initMinPoints()) {
            return null;
        }
        Pose motion = new Pose(NativeMats.readDoubles(r), NativeMats.readDoubles(t));
        byte[] inlier = NativeMats.readBytes(mask);
        return triangulate(motion, inlier, currentUv);
    }

    private Ready triangulate(Pose motion, byte[] inlier, double[] currentUv) {
        double[] c0 = new double[3];
        double[] c1 = Triangulation.centre(motion);
        double limit = settings.reprojectionPx() * settings.reprojectionPx();
        double[] pts = new double[3 * count];
        double[] parallax = new double[count];
        int[] index = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (inlier[i] == 0) {
                continue;
            }
            double u0 = referenceUv[2 * i];
            double v0 = referenceUv[2 * i + 1];
            double u1 = currentUv[2 * i];
            double v1 = currentUv[2 * i + 1];
            double[] b0 = Triangulation.worldBearing(Pose.IDENTITY, camera.ray(u0, v0));
            double[] b1 = Triangulation.worldBearing(motion, camera.ray(u1, v1));
            double[] x = Triangulation.point(c0, b0, c1, b1);
            if (x == null || x[2] <= 0
                    || PoseSolver.squaredError(Pose.IDENTITY, x, u0, v0, camera) > limit
                    || PoseSolver.squaredError(motion, x, u1, v1, camera) > limit) {
                continue;
            }
            System.arraycopy(x, 0, pts, 3 * n, 3);
            parallax[n] = Triangulation.parallaxDeg(b0, b1);
            index[n] = i;
            n++;
        }
        if (n < settings.initMinPoints()) {
            return null;
        }
        double[] sorted = Arrays.copyOf(parallax, n);
        Arrays.sort(sorted);
        if (sorted[n / 2] < settings.initMinParallaxDeg()) {
            return null;
        }
        double[] depths = new double[n];
        for (int i = 0; i < n; i++) {
            depths[i] = pts[3 * i + 2];
        }
        Arrays.sort(depths);
        double scale = 1 / depths[n / 2];
        double[] refUv = new double[2 * n];
        double[] curUv = new double[2 * n];
        float[] curRaw = new float[2 * n];
        for (int j = 0; j < n; j++) {
            int i = index[j];
            for (int a = 0; a < 3; a++) {
                pts[3 * j + a] *= scale;
            }
            refUv[2 * j] = referenceUv[2 * i];
            refUv[2 * j + 1] = referenceUv[2 * i + 1];
            curUv[2 * j] = currentUv[2 * i];
            curUv[2 * j + 1] = currentUv[2 * i + 1];
            curRaw[2 * j] = current[2 * i];
            curRaw[2 * j + 1] = current[2 * i + 1];
        }
        hasReference = false;
        return new Ready(referenceFrame, referenceTime, motion.scaled(scale), Arrays.copyOf(pts, 3 * n), refUv,
                curUv, curRaw, n);
    }
}
