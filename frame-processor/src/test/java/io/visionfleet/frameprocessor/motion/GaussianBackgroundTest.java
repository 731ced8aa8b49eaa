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
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

@Tag("quick")
class GaussianBackgroundTest {
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
        try (PointerScope scope = new PointerScope(); GaussianBackground model = new GaussianBackground(16, 60)) {
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

    /** A camera that pans right after a reset warps the model before any frame after the first was kept. */
    @Test
    void aModelWarpedRightAfterItStartedKeepsWorking() {
        try (PointerScope scope = new PointerScope(); GaussianBackground model = new GaussianBackground(16, 50)) {
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
}
