package io.visionfleet.frameprocessor.output;

import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.frameprocessor.geom.Mask;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

@Tag("quick")
class MaskEncoderTest {
    @Test
    void aMaskIsSentAsTheCocoRleOfTheFrameWithItsPixelsInPlace() {
        try (PointerScope scope = new PointerScope()) {
            // the mask is a 3x2 view into a wider picture, as engines hand them over
            Mat picture = new Mat(4, 8, CV_8UC1, new Scalar(0));
            Mat pixels = picture.apply(new Rect(2, 1, 3, 2));
            pixels.ptr(0, 0).put((byte) 255);
            pixels.ptr(0, 1).put((byte) 255);
            pixels.ptr(1, 2).put((byte) 255);
            picture.ptr(0, 7).put((byte) 255); // outside the view
            // at (1, 1) of a 5x4 frame: the vector of CocoRleTest (columns 0000 0100 0100 0010 0000)
            MaskEncoder.Encoded encoded = new MaskEncoder(1.5, 16, 64).encode(new Mask(1, 1, pixels, 3), 5, 4);
            assertThat(encoded.rle().size()).containsExactly(4, 5);
            assertThat(encoded.rle().counts()).isEqualTo("5130101");
        }
    }

    @Test
    void aRaggedMaskIsSentAsItsFilledPolygonSoTheMessageStaysBounded() {
        try (PointerScope scope = new PointerScope()) {
            // a 100x100 square with holes in every other row of its interior: about 100 runs per column
            Mat pixels = new Mat(100, 100, CV_8UC1, new Scalar(255));
            for (int r = 2; r < 98; r += 2) {
                for (int c = 2; c < 98; c += 3) {
                    pixels.ptr(r, c).put((byte) 0);
                }
            }
            MaskEncoder bounded = new MaskEncoder(1.5, 16, 64);
            MaskEncoder.Encoded encoded = bounded.encode(new Mask(10, 20, pixels, 0), 200, 150);
            assertThat(CocoRle.runs(encoded.rle())).hasSizeLessThanOrEqualTo(2 * 100 + 2);
            assertThat(encoded.polygon()).hasSize(8); // the square's four corners
            assertThat(encoded.polygon()).contains(10, 20, 109, 119);
            byte[] decoded = CocoRle.decode(encoded.rle());
            assertThat(decoded[(20 + 2) * 200 + 10 + 2]).as("hole filled").isEqualTo((byte) 1);
            MaskEncoder unbounded = new MaskEncoder(1.5, 16, 100_000);
            assertThat(CocoRle.runs(unbounded.encode(new Mask(10, 20, pixels, 0), 200, 150).rle())).hasSizeGreaterThan(1000);
        }
    }
}
