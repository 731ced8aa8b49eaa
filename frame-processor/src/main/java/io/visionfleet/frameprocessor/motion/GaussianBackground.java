package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CMP_GT;
import static org.bytedeco.opencv.global.opencv_core.CMP_LE;
import static org.bytedeco.opencv.global.opencv_core.CMP_LT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.noArray;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_core.transform;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateProduct;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * One Gaussian per pixel (mean colour, variance of the colour distance) with a per-pixel age that sets the learning
 * rate: 1/(age+1), so a fresh pixel learns at once and an old one averages over {@code learningFrames}. Unlike
 * OpenCV's MOG2/KNN its state is plain images, so it can be warped when the camera moves: pixels that come into
 * view get age 0 and take the next frame as their background; after a warp ages are capped so the model quickly
 * re-learns what interpolation blurred. Every step is an OpenCV operation on whole images, about 25 of them a picture
 * (2.7 ms at 640x360 on a 2-core Intel VM; docs/benchmarks.md), merged where OpenCV has one operation for two; while
 * no pixel is young, on strips of rows instead, one strip through every step before the next.
 *
 * <p>Foreground pixels learn at a fixed tenth of the settled rate, whatever their age (an object that stops fades
 * into the background over about ten times {@code learningFrames}; one that moves across a panning view is not
 * learnt into a trail), and do not update the variance, so a passing object does not desensitise it.
 */
final class GaussianBackground implements BackgroundModel {
    /** Times the common path's updates for the {@link StripChooser}. */
    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();
    /** Variance of a pixel's colour distance (summed over B, G, R) before it has learned its own. */
    private static final double INITIAL_VARIANCE = 3 * 12 * 12;
    /** Floor of the variance: codec noise of a few levels per channel never counts as motion. */
    private static final double MIN_VARIANCE = 3 * 5 * 5;
    private static final double FOREGROUND_LEARNING = 0.1;
    /** Age cap after a warp: the model then re-learns over at most this many frames. */
    private static final double AGE_AFTER_WARP = 8;
    /**
     * Reach, in pixels (odd), of a moving object into pixels that came into view: the band of young pixels a pan of
     * up to 4 pixels a frame leaves along the border.
     */
    private static final int EDGE_REACH = 9;
    /** Grey-level change between frames below which a pixel counts as unchanged. */
    private static final double STILL_LEVEL = 6;
    /** Frames a foreground pixel may stay unchanged before it counts as a ghost or a stopped object. */
    private static final double STILL_FRAMES = 10;
    /** Learning rate of such pixels: they fade into the background within about a second. */
    private static final double ABSORB_RATE = 0.1;
    /**
     * Their rate while the model is younger than {@code learningFrames}: then still foreground is mostly where an
     * object stood in the first picture, and it goes at once, before a tracker confirms it as an object.
     */
    private static final double START_ABSORB_RATE = 1;
    /** Frames a pixel that came into view must stay unchanged before it can tell motion. */
    private static final double YOUNG_FRAMES = 2;
    /** How far from the rows it aims at a strip may be, to divide the picture's height. */
    private static final int STRIP_SLACK = 21;

    private final double threshold;
    private final double maxAge;
    private final Mat mean = Natives.keep(new Mat());
    private final Mat variance = Natives.keep(new Mat());
    private final Mat age = Natives.keep(new Mat());
    private final Mat previous = Natives.keep(new Mat());
    private final Mat still = Natives.keep(new Mat());
    private final Mat stillLevel = Natives.keep(scalar(STILL_LEVEL));
    private final Mat stillFrames = Natives.keep(scalar(STILL_FRAMES));
    private final Mat absorbRate = Natives.keep(scalar(ABSORB_RATE));
    private final Mat startAbsorbRate = Natives.keep(scalar(START_ABSORB_RATE));
    private final Mat youngAge = Natives.keep(scalar(YOUNG_FRAMES));
    private final Mat edgeKernel = Natives.keep(getStructuringElement(MORPH_RECT, new Size(EDGE_REACH, EDGE_REACH)));
    private final Mat minVariance = Natives.keep(new Mat());
    private final Mat channelSum = Natives.keep(new Mat(1, 3, CV_32F, new Scalar(1)));
    private final Mat zero = Natives.keep(scalar(0));
    private final Mat one = Natives.keep(scalar(1));
    private final Mat half = Natives.keep(scalar(0.5));
    private final Mat foregroundRate;
    private final HomographyWarp moves = new HomographyWarp();
    private final BackgroundScratch.Pool scratchSets;
    private final StripChooser strips;
    private boolean started;
    /** Frames the model has learnt since it started, counted up to {@code learningFrames}. */
    private int frames;

    /**
     * @param threshold      squared colour distance, in variances, above which a pixel is foreground
     * @param learningFrames frames over which an old pixel averages
     * @param scratchSets    lends each update its temporaries: the engine's, which all streams share
     * @param strips         whether the common path runs in strips or on whole pictures: the engine's, shared too
     */
    GaussianBackground(double threshold, int learningFrames, BackgroundScratch.Pool scratchSets, StripChooser strips) {
        this.strips = strips;
        this.threshold = threshold;
        this.maxAge = learningFrames;
        this.foregroundRate = Natives.keep(scalar(FOREGROUND_LEARNING / learningFrames));
        this.scratchSets = scratchSets;
    }

    @Override
    public void apply(Mat bgr, Mat foreground) {
        if (!started) {
            start(bgr, foreground);
            return;
        }
        BackgroundScratch t = scratchSets.borrow();
        try {
            update(bgr, foreground, t);
        } finally {
            scratchSets.giveBack(t);
        }
    }

    private void update(Mat bgr, Mat foreground, BackgroundScratch t) {
        compare(age, youngAge, t.young, CMP_LT);
        boolean anyYoung = countNonZero(t.young) > 0;
        Mat stillRate = frames < maxAge ? startAbsorbRate : absorbRate;
        frames = (int) Math.min(frames + 1, maxAge);
        if (anyYoung || previous.rows() != bgr.rows() || previous.cols() != bgr.cols()) {
            updateWhole(bgr, foreground, anyYoung, stillRate, t);
            return;
        }
        StripChooser.Pick pick = strips.pick(bgr.rows(), bgr.cols());
        long start = pick.timed() ? THREAD_CPU.getCurrentThreadCpuTime() : 0;
        int strip = stripRows(bgr.rows(), pick.target());
        if (strip > 0) {
            updateByStrips(bgr, foreground, strip, stillRate, t.strip());
        } else {
            updateWhole(bgr, foreground, false, stillRate, t);
        }
        if (pick.timed()) {
            strips.took(bgr.rows(), bgr.cols(), pick, THREAD_CPU.getCurrentThreadCpuTime() - start);
        }
    }

    /** The update on whole pictures: the only way while pixels are young or nothing came before. */
    private void updateWhole(Mat bgr, Mat foreground, boolean anyYoung, Mat stillRate, BackgroundScratch t) {
        if (anyYoung) {
            // the float frame is only needed to start pixels over; the common path subtracts from the bytes
            bgr.convertTo(t.frame, CV_32F);
            // pixels that came into view (age 0 after a warp) take this frame as their first background guess
            compare(age, half, t.fresh, CMP_LT);
            if (countNonZero(t.fresh) > 0) {
                t.frame.copyTo(mean, t.fresh);
                variance.setTo(scalar(INITIAL_VARIANCE), t.fresh);
            }
        }
        State whole = new State(mean, variance, age, minVariance);
        classify(bgr, whole, foreground, t);
        if (anyYoung) {
            settleYoung(foreground, t);
        }
        if (previous.rows() != bgr.rows() || previous.cols() != bgr.cols()) {
            // no picture to compare with yet: nothing has been still, and this one is the first kept
            still.create(bgr.rows(), bgr.cols(), CV_8UC1);
            still.put(new Scalar(0));
            cvtColor(bgr, previous, COLOR_BGR2GRAY);
            compare(still, stillFrames, t.ghost, CMP_GT);
            foreground.copyTo(t.movingForeground);
        } else {
            findStill(bgr, foreground, previous, still, t);
        }
        learn(foreground, stillRate, whole, t);
        if (anyYoung) {
            t.frame.copyTo(mean, t.restart);
            variance.setTo(scalar(INITIAL_VARIANCE), t.restart);
            age.setTo(zero, t.restart);
        }
    }

    /**
     * The common path (no pixel young) strip by strip: every step of it is per pixel, and a strip's temporaries stay
     * in the core's cache from one step to the next, where whole pictures' may go through memory at every step (a
     * quarter of the update on a Zen 1 VM, a tenth more on a Zen 5 one: {@link StripChooser} picks).
     */
    private void updateByStrips(Mat bgr, Mat foreground, int strip, Mat stillRate, BackgroundScratch t) {
        foreground.create(bgr.rows(), bgr.cols(), CV_8UC1);
        for (int top = 0; top < bgr.rows(); top += strip) {
            int bottom = top + strip;
            Mat picture = bgr.rowRange(top, bottom);
            Mat rows = foreground.rowRange(top, bottom);
            State part = new State(mean.rowRange(top, bottom), variance.rowRange(top, bottom),
                    age.rowRange(top, bottom), minVariance.rowRange(top, bottom));
            classify(picture, part, rows, t);
            findStill(picture, rows, previous.rowRange(top, bottom), still.rowRange(top, bottom), t);
            learn(rows, stillRate, part, t);
        }
    }

    /**
     * Rows of a strip: the divisor of the picture's height nearest {@code target} within {@link #STRIP_SLACK} (every
     * strip the same size, so their temporaries are made once), or 0 for whole pictures: no such divisor, or one strip.
     */
    static int stripRows(int height, int target) {
        for (int offset = 0; target > 0 && offset <= STRIP_SLACK; offset++) {
            if (divides(target - offset, height)) {
                return target - offset;
            }
            if (divides(target + offset, height)) {
                return target + offset;
            }
        }
        return 0;
    }

    private static boolean divides(int rows, int height) {
        return rows > 0 && rows < height && height % rows == 0;
    }

    /** The model's images a step reads and writes: whole, or the rows of a strip. */
    private record State(Mat mean, Mat variance, Mat age, Mat minVariance) {
    }

    /** Foreground: the squared colour distance to the mean over {@code threshold} variances. */
    private void classify(Mat bgr, State m, Mat foreground, BackgroundScratch t) {
        subtract(bgr, m.mean(), t.diff, noArray(), CV_32F);
        multiply(t.diff, t.diff, t.squared);
        transform(t.squared, t.distance, channelSum);
        m.variance().convertTo(t.limit, -1, threshold, 0);
        compare(t.distance, t.limit, foreground, CMP_GT);
    }

    /** Learns the picture into the mean and variance at each pixel's rate, and ages the pixels. */
    private void learn(Mat foreground, Mat stillRate, State m, BackgroundScratch t) {
        add(m.age(), one, t.agePlusOne);
        divide(1.0, t.agePlusOne, t.rate);
        t.rate.setTo(foregroundRate, t.movingForeground);
        t.rate.setTo(stillRate, t.ghost);
        cvtColor(t.rate, t.rate3, COLOR_GRAY2BGR);
        accumulateProduct(t.diff, t.rate3, m.mean());

        // foreground pixels keep their variance: a passing object does not desensitise them
        subtract(t.distance, m.variance(), t.scratch);
        t.rate.setTo(zero, foreground);
        accumulateProduct(t.scratch, t.rate, m.variance());
        max(m.variance(), m.minVariance(), m.variance());

        threshold(t.agePlusOne, m.age(), maxAge, 0, THRESH_TRUNC);
    }

    /**
     * Foreground that has not changed for {@link #STILL_FRAMES} frames is no moving object: a ghost (where an object
     * stood when the model started, or a trail it was learnt into) or an object that stopped. It is learnt into the
     * background at {@link #ABSORB_RATE} (at once while the model is young), so ghosts fade within about a second
     * instead of lingering for the slow foreground rate. The picture's grey becomes {@code previous}.
     */
    private void findStill(Mat bgr, Mat foreground, Mat previous, Mat still, BackgroundScratch t) {
        cvtColor(bgr, t.gray, COLOR_BGR2GRAY);
        absdiff(t.gray, previous, t.change);
        compare(t.change, stillLevel, t.unchanged, CMP_LE);
        bitwise_and(t.unchanged, foreground, t.unchanged);
        add(still, one, still); // saturates at 255
        bitwise_and(still, t.unchanged, still);
        t.gray.copyTo(previous);
        compare(still, stillFrames, t.ghost, CMP_GT);
        subtract(foreground, t.ghost, t.movingForeground); // ghosts are foreground: this is foreground but no ghost
    }

    /**
     * A pixel that came into view a few frames ago has a background guess that may be a moving object which came
     * into view with it: it never counts as moving by itself, and when it changes it starts over with the new value,
     * so an object that entered through it is not learnt into a ghost. Where a moving object on settled pixels reaches
     * into young ones (it straddles the border of the view), they count as the object's and start over too.
     */
    private void settleYoung(Mat foreground, BackgroundScratch t) {
        bitwise_and(foreground, t.young, t.restart);
        foreground.setTo(zero, t.young);
        dilate(foreground, t.blocked, edgeKernel);
        bitwise_and(t.blocked, t.young, t.blocked);
        foreground.setTo(scalar(255), t.blocked);
        bitwise_or(t.restart, t.blocked, t.restart);
    }

    @Override
    public boolean warpable() {
        return true;
    }

    @Override
    public void warp(Mat homography) {
        if (!started) {
            return;
        }
        moves.prepare(homography, mean.rows(), mean.cols());
        moves.linear(mean, BORDER_REPLICATE);
        moves.linear(variance, BORDER_REPLICATE);
        moves.nearest(age);
        threshold(age, age, AGE_AFTER_WARP, 0, THRESH_TRUNC);
        if (previous.empty()) {
            return; // the model started on the last frame: no picture to compare with has been kept yet
        }
        // the previous picture moves with the model, so "unchanged" keeps comparing the same scene point
        moves.linear(previous, BORDER_REPLICATE);
        moves.nearest(still);
    }

    @Override
    public void reset() {
        started = false;
        previous.release();
    }

    @Override
    public void close() {
        moves.close();
        Natives.release(mean, variance, age, foregroundRate, youngAge, edgeKernel, previous, still, stillLevel,
                stillFrames, absorbRate, startAbsorbRate, minVariance, channelSum, zero, one, half);
    }

    private void start(Mat bgr, Mat foreground) {
        bgr.convertTo(mean, CV_32F);
        variance.create(bgr.rows(), bgr.cols(), CV_32FC1);
        variance.put(new Scalar(INITIAL_VARIANCE));
        age.create(bgr.rows(), bgr.cols(), CV_32FC1);
        // settled, not young: the young rule would learn in whatever moves in the next pictures, leaving it as ghosts
        age.put(new Scalar(YOUNG_FRAMES));
        minVariance.create(bgr.rows(), bgr.cols(), CV_32FC1);
        minVariance.put(new Scalar(MIN_VARIANCE));
        foreground.create(bgr.rows(), bgr.cols(), CV_8UC1);
        foreground.put(new Scalar(0));
        frames = 0;
        started = true;
    }

    /** A 1x1 matrix that OpenCV's element-wise operations take as a scalar operand. */
    private static Mat scalar(double value) {
        return new Mat(1, 1, CV_64F, new Scalar(value));
    }
}
