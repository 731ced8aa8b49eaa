package io.visionfleet.frameprocessor.motion;

import io.visionfleet.common.geometry.RansacIterations;
import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.findHomography;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.goodFeaturesToTrack;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowPyrLK;
import static org.bytedeco.opencv.opencv_core.TermCriteria.COUNT;
import static org.bytedeco.opencv.opencv_core.TermCriteria.EPS;

/**
 * Estimates how the camera moved: corners of a key picture are followed into the current one by pyramidal
 * Lucas-Kanade flow, and a homography is fitted to them with RANSAC (moving objects are its outliers). The work runs
 * on a copy at most 320 pixels wide.
 *
 * <p>Motion is measured against the key picture, the last one the background model was aligned to, not against the
 * previous frame: a still camera then never accumulates estimation noise, and a slow pan is applied once it adds up
 * to half a pixel instead of as many sub-pixel warps that would blur the model.
 *
 * <p>A camera that stood still on the last frame is checked without the pyramid (building it costs more than
 * following the corners, and a still picture needs no search), by the same test: first on a spread fifth of the
 * corners, then, when those cannot tell it still, on all of them (a fit to few corners is noisier: on a fixed camera's
 * street scene a third of the frames failed on the fifth alone and passed on all). Only when that says it moved, or
 * too few corners were followed to tell, does the flow climb the pyramid. A still camera, the common case of a fixed
 * one, then costs a fraction of the flow (it is the stage's largest part); a moving one, whose last frame moved too,
 * goes straight to the pyramid.
 */
final class CameraMotion implements AutoCloseable {
    /** What the camera did since the key picture. */
    enum Kind { STILL, MOVED, LOST }

    /**
     * @param homography for {@link Kind#MOVED}: 3x3 {@code CV_64F} mapping the key picture's pixels to this frame's
     */
    record Estimate(Kind kind, Mat homography) {
        static final Estimate STILL = new Estimate(Kind.STILL, null);
        static final Estimate LOST = new Estimate(Kind.LOST, null);
    }

    private static final int WORK_WIDTH = 320;
    private static final int MAX_CORNERS = 200;
    /** Pyramid levels above the picture that the flow of all corners climbs, for motion of tens of pixels. */
    private static final int PYRAMID_LEVELS = 3;
    /** Corners of the still check: every so many of the key picture's. */
    private static final int PROBE_STRIDE = 5;
    private static final double MIN_SHIFT = 0.5;
    private static final int MIN_INLIERS = 12;
    private static final int KEY_MAX_AGE = 150;
    private static final double RANSAC_THRESHOLD = 1.0;
    /**
     * Least share of the followed corners a homography must fit to be the camera's motion. On real views (vtest, the
     * PTZ simulator, opencv-doc's clips) 70-100 % fit on most frames and only cuts fall below a third; on sensor noise
     * 4-7 % of 200 corners fit some homography by chance, and RANSAC's search for a better one, to its cap, took 21 ms
     * a frame and then passed the chance fit as motion (docs/benchmarks.md).
     */
    private static final double MIN_INLIER_SHARE = 0.3;
    private static final double RANSAC_CONFIDENCE = 0.995;
    private static final int RANSAC_MAX_ITERATIONS = 2000;

    private final double scale;
    private final int width;
    private final int height;
    private final Size workSize;
    private final Mat gray = Natives.keep(new Mat());
    private final Mat small = Natives.keep(new Mat());
    private final Mat key = Natives.keep(new Mat());
    private final Mat keyCorners = Natives.keep(new Mat());
    private final Mat probeCorners = Natives.keep(new Mat());
    private final TermCriteria criteria = Natives.keep(new TermCriteria(COUNT | EPS, 20, 0.03));
    private final Size window = Natives.keep(new Size(21, 21));
    private int keyAge;
    private boolean wasStill;

    CameraMotion(int width, int height) {
        this.width = width;
        this.height = height;
        this.scale = Math.min(1.0, (double) WORK_WIDTH / width);
        this.workSize = Natives.keep(new Size((int) Math.round(width * scale), (int) Math.round(height * scale)));
    }

    Estimate estimate(Mat bgr) {
        cvtColor(bgr, gray, COLOR_BGR2GRAY);
        resize(gray, small, workSize, 0, 0, INTER_AREA);
        if (key.empty() || keyCorners.rows() < MIN_INLIERS) {
            newKey();
            return Estimate.STILL;
        }
        if (wasStill && (stillOn(probeCorners()) || stillOn(keyCorners))) {
            return still();
        }
        Mat full = homography(keyCorners, PYRAMID_LEVELS);
        if (full != null && maxShift(full) < MIN_SHIFT) {
            return still();
        }
        newKey();
        wasStill = false;
        return full == null ? Estimate.LOST : new Estimate(Kind.MOVED, full);
    }

    @Override
    public void close() {
        Natives.release(gray, small, key, keyCorners, probeCorners, criteria, window, workSize);
    }

    private Estimate still() {
        if (++keyAge > KEY_MAX_AGE) {
            newKey();
        }
        wasStill = true;
        return Estimate.STILL;
    }

    /** Whether {@code corners}, followed without the pyramid, say the camera is where the key picture was. */
    private boolean stillOn(Mat corners) {
        Mat h = corners.rows() >= MIN_INLIERS ? homography(corners, 0) : null;
        return h != null && maxShift(h) < MIN_SHIFT;
    }

    /**
     * {@code corners} of the key picture followed into the current one through {@code levels} pyramid levels, and the
     * homography fitted to them, between full-size pictures; null when too few were followed or fit it.
     */
    private Mat homography(Mat corners, int levels) {
        Mat next = new Mat();
        Mat status = new Mat();
        Mat error = new Mat();
        calcOpticalFlowPyrLK(key, small, corners, next, status, error, window, levels, criteria, 0, 1e-4);
        int n = corners.rows();
        Mat from = new Mat(n, 1, CV_32FC2);
        Mat to = new Mat(n, 1, CV_32FC2);
        int tracked = 0;
        try (FloatIndexer src = corners.createIndexer(); FloatIndexer dst = next.createIndexer();
             UByteIndexer ok = status.createIndexer(); FloatIndexer f = from.createIndexer();
             FloatIndexer t = to.createIndexer()) {
            for (int i = 0; i < n; i++) {
                if (ok.get(i) == 1) {
                    f.put(tracked, 0, 0, src.get(i, 0, 0));
                    f.put(tracked, 0, 1, src.get(i, 0, 1));
                    t.put(tracked, 0, 0, dst.get(i, 0, 0));
                    t.put(tracked, 0, 1, dst.get(i, 0, 1));
                    tracked++;
                }
            }
        }
        if (tracked < MIN_INLIERS) {
            return null;
        }
        int needed = Math.max(MIN_INLIERS, (int) Math.ceil(MIN_INLIER_SHARE * tracked));
        Mat inlierMask = new Mat();
        Mat h = findHomography(from.rowRange(0, tracked), to.rowRange(0, tracked), RANSAC, RANSAC_THRESHOLD, inlierMask,
                RansacIterations.forShare((double) needed / tracked, 4, RANSAC_CONFIDENCE, RANSAC_MAX_ITERATIONS),
                RANSAC_CONFIDENCE);
        return h.empty() || countNonZero(inlierMask) < needed ? null : rescale(h, scale, scale);
    }

    private void newKey() {
        small.copyTo(key);
        goodFeaturesToTrack(key, keyCorners, MAX_CORNERS, 0.01, 7);
        probeCorners.release(); // taken when a still check needs them: a moving camera renews its key every frame
        keyAge = 0;
    }

    /** Every {@link #PROBE_STRIDE}th corner of the key picture (the flow takes only a continuous list). */
    private Mat probeCorners() {
        if (probeCorners.empty() && keyCorners.rows() >= PROBE_STRIDE) {
            int n = keyCorners.rows() / PROBE_STRIDE;
            probeCorners.create(n, 1, CV_32FC2);
            try (FloatIndexer all = keyCorners.createIndexer(); FloatIndexer some = probeCorners.createIndexer()) {
                for (int i = 0; i < n; i++) {
                    some.put(i, 0, 0, all.get(i * PROBE_STRIDE, 0, 0));
                    some.put(i, 0, 1, all.get(i * PROBE_STRIDE, 0, 1));
                }
            }
        }
        return probeCorners;
    }

    /**
     * {@code h} between pictures scaled by {@code sx}, {@code sy} from the original, as a homography between the
     * originals: S^-1 H S with S = diag(sx, sy, 1).
     */
    static Mat rescale(Mat h, double sx, double sy) {
        double[] s = {sx, sy, 1};
        Mat original = new Mat(3, 3, CV_64F);
        try (DoubleIndexer w = h.createIndexer(); DoubleIndexer f = original.createIndexer()) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    f.put(r, c, w.get(r, c) * s[c] / s[r]);
                }
            }
        }
        return original;
    }

    /** Largest displacement of the frame's corners under {@code h}, in pixels. */
    private double maxShift(Mat h) {
        double[] m = toArray(h);
        double shift = 0;
        for (double[] c : new double[][]{{0, 0}, {width, 0}, {0, height}, {width, height}}) {
            double w = m[6] * c[0] + m[7] * c[1] + m[8];
            double x = (m[0] * c[0] + m[1] * c[1] + m[2]) / w;
            double y = (m[3] * c[0] + m[4] * c[1] + m[5]) / w;
            shift = Math.max(shift, Math.hypot(x - c[0], y - c[1]));
        }
        return shift;
    }

    /** The 3x3 homography as a row-major array. */
    static double[] toArray(Mat h) {
        double[] m = new double[9];
        try (DoubleIndexer idx = h.createIndexer()) {
            for (int i = 0; i < 9; i++) {
                m[i] = idx.get(i / 3, i % 3);
            }
        }
        return m;
    }
}
