package io.visionfleet.frameprocessor.motion;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CMP_NE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

/** The shared-map warp against OpenCV's warpPerspective on the same images and homography. */
@Tag("quick")
class HomographyWarpTest {
    /** A pan with a little rotation and perspective, as camera motion measures between frames. */
    private static final Mat PAN = new Mat(3, 3, CV_64F, new DoublePointer(
            0.999, -0.004, 3.2, 0.005, 1.001, -1.7, 2e-6, -1e-6, 1));

    private static Mat random(int type, double max) {
        Mat image = new Mat(180, 320, type);
        randu(image, new Mat(1, 1, CV_64F, new Scalar(0)), new Mat(1, 1, CV_64F, new Scalar(max)));
        return image;
    }

    private static double maxDifference(Mat a, Mat b) {
        Mat diff = new Mat();
        absdiff(a, b, diff);
        double[] max = new double[1];
        minMaxLoc(diff.reshape(1, 0), null, max, null, null, null);
        return max[0];
    }

    @Test
    void movesImagesAsWarpPerspectiveDoes() {
        try (PointerScope scope = new PointerScope(); HomographyWarp warp = new HomographyWarp()) {
            setRNGSeed(3);
            Mat colour = random(CV_32FC3, 255);
            Mat grey = random(CV_8UC1, 255);
            Mat ages = random(CV_8UC1, 50);
            Mat expectedColour = new Mat();
            Mat expectedGrey = new Mat();
            Mat expectedAges = new Mat();
            warpPerspective(colour, expectedColour, PAN, colour.size(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
            warpPerspective(grey, expectedGrey, PAN, grey.size(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
            warpPerspective(ages, expectedAges, PAN, ages.size(), INTER_NEAREST, BORDER_CONSTANT, new Scalar());

            warp.prepare(PAN, 180, 320);
            warp.linear(colour, BORDER_REPLICATE);
            warp.linear(grey, BORDER_REPLICATE);
            warp.nearest(ages);

            // both keep positions to 1/32 pixel; they may round a position computed a hair apart differently
            assertThat(maxDifference(colour, expectedColour)).as("colour, levels").isLessThan(255.0 / 32 + 0.01);
            assertThat(maxDifference(grey, expectedGrey)).as("grey, levels").isLessThanOrEqualTo(8);
            Mat differs = new Mat();
            compare(ages, expectedAges, differs, CMP_NE);
            assertThat(countNonZero(differs)).as("nearest pixels taken from another pixel").isLessThan(180 * 320 / 1000);
            Mat greyDiff = new Mat();
            absdiff(grey, expectedGrey, greyDiff);
            assertThat(countNonZero(greyDiff)).as("grey pixels that differ at all").isLessThan(180 * 320 / 20);
        }
    }
}
