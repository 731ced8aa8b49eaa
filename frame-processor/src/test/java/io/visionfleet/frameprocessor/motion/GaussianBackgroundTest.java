package io.visionfleet.frameprocessor.motion;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.bitwise_xor;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

@Tag("quick")
class GaussianBackgroundTest {
    private static final StripChooser STRIPS = StripChooser.fixed(StripChooser.STRIP_TARGET);

    private static Mat picture(int squareX) {
        Mat bgr = new Mat(120, 160, CV_8UC3, new Scalar(60, 90, 120, 0));
        new Mat(bgr, new Rect(squareX, 40, 20, 20)).put(new Scalar(250, 250, 250, 0));
        return bgr;
    }

    /**
     * An object in the first picture (the model's start) leaves no ghost, neither where it stood then nor where it
     * went next: within 14 frames, about when a tracker confirms an object, only the object itself is foreground. As
     * a consumer joining a stream sees it: its second picture comes some frames after the first (the relay's cached
     * pictures are skipped), then every frame.
     */
    @Test
    void anObjectInTheFirstPictureLeavesNoGhost() {
        try (PointerScope scope = new PointerScope(); BackgroundScratch.Pool pool = new BackgroundScratch.Pool();
             GaussianBackground model = new GaussianBackground(16, 60, pool, STRIPS)) {
            Mat foreground = new Mat();
            model.apply(picture(10), foreground);
            int x = 40;
            for (int frame = 1; frame < 14; frame++, x += 4) {
                model.apply(picture(x), foreground);
            }
            int last = x - 4;
            assertThat(countNonZero(new Mat(foreground, new Rect(last, 40, 20, 20))))
                    .as("the moving square is foreground").isGreaterThan(20 * 20 * 9 / 10);
            assertThat(countNonZero(new Mat(foreground, new Rect(0, 0, last, 120)))).as("where it has been").isZero();
        }
    }

    /** Strips divide the picture's height evenly, near the rows aimed at; a height without such a divisor: whole. */
    @Test
    void stripsDivideThePictureEvenly() {
        assertThat(GaussianBackground.stripRows(360, 45)).isEqualTo(45);
        assertThat(GaussianBackground.stripRows(480, 45)).isEqualTo(48);
        assertThat(GaussianBackground.stripRows(120, 45)).isEqualTo(40);
        assertThat(GaussianBackground.stripRows(1080, 45)).isEqualTo(45);
        assertThat(GaussianBackground.stripRows(361, 45)).as("19 x 19").isZero();
        assertThat(GaussianBackground.stripRows(45, 45)).as("one strip").isZero();
        assertThat(GaussianBackground.stripRows(360, 0)).as("strips off").isZero();
    }

    /** A camera that pans right after a reset warps the model before any frame after the first was kept. */
    @Test
    void aModelWarpedRightAfterItStartedKeepsWorking() {
        try (PointerScope scope = new PointerScope(); BackgroundScratch.Pool pool = new BackgroundScratch.Pool();
             GaussianBackground model = new GaussianBackground(16, 50, pool, STRIPS)) {
            Mat foreground = new Mat();
            Mat shift = new Mat(3, 3, CV_64F, new DoublePointer(1, 0, -2, 0, 1, 0, 0, 0, 1)); // the scene moved 2 px left
            model.apply(picture(20), foreground);
            model.warp(shift);
            model.apply(picture(20), foreground);
            int x = 22;
            for (; x < 100; x += 4) {
                model.warp(Mat.eye(3, 3, CV_64F).asMat());
                model.apply(picture(x), foreground);
            }
            int last = x - 4;
            assertThat(foreground.rows()).isEqualTo(120);
            assertThat(countNonZero(new Mat(foreground, new Rect(last, 40, 20, 20))))
                    .as("the moving square is foreground").isGreaterThan(20 * 20 * 9 / 10);
            assertThat(countNonZero(new Mat(foreground, new Rect(120, 80, 40, 40)))).as("untouched background").isZero();
        }
    }

    /**
     * Streams that take turns on shared temporaries learn exactly what each would alone: two models, one of them
     * panning (its young pixels take the path that uses the most temporaries), updated alternately on one pool, give
     * every picture the foreground their twins with temporaries of their own give.
     */
    @Test
    void modelsSharingTemporariesLearnAsAlone() {
        Mat pan = new Mat(3, 3, CV_64F, new DoublePointer(1, 0, -2, 0, 1, 0, 0, 0, 1));
        try (PointerScope scope = new PointerScope(); BackgroundScratch.Pool pool = new BackgroundScratch.Pool();
             GaussianBackground still = new GaussianBackground(16, 50, pool, STRIPS);
             GaussianBackground panning = new GaussianBackground(16, 50, pool, STRIPS);
             BackgroundScratch.Pool own = new BackgroundScratch.Pool();
             BackgroundScratch.Pool otherOwn = new BackgroundScratch.Pool();
             GaussianBackground stillAlone = new GaussianBackground(16, 50, own, STRIPS);
             GaussianBackground panningAlone = new GaussianBackground(16, 50, otherOwn, STRIPS)) {
            Mat shared = new Mat();
            Mat alone = new Mat();
            Mat differ = new Mat();
            long[] seen = new long[2];
            for (int frame = 0, x = 10; frame < 30; frame++, x += 3) {
                Mat picture = picture(x);
                still.apply(picture, shared);
                stillAlone.apply(picture, alone);
                bitwise_xor(shared, alone, differ);
                assertThat(countNonZero(differ)).as("still camera, frame %d", frame).isZero();
                seen[0] += countNonZero(alone);
                if (frame > 0) {
                    panning.warp(pan);
                    panningAlone.warp(pan);
                }
                Mat other = picture(100 - x);
                panning.apply(other, shared);
                panningAlone.apply(other, alone);
                bitwise_xor(shared, alone, differ);
                assertThat(countNonZero(differ)).as("panning camera, frame %d", frame).isZero();
                seen[1] += countNonZero(alone);
            }
            // the square moved in both views: the masks compared were not empty
            assertThat(seen[0]).as("foreground pixels, still camera").isGreaterThan(20 * 20 * 10);
            assertThat(seen[1]).as("foreground pixels, panning camera").isGreaterThan(20 * 20 * 10);
        }
    }
}
