package io.visionfleet.frameprocessor.output;

import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.support.Rle;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

class MaskEncoderTest {
    @Test
    void rleCountsAlternateFromBackgroundAndDecodeToTheMaskAtItsPlace() {
        try (PointerScope scope = new PointerScope()) {
            Mat pixels = new Mat(2, 3, CV_8UC1, new Scalar(0));
            pixels.ptr(0, 0).put((byte) 255);
            pixels.ptr(0, 1).put((byte) 255);
            pixels.ptr(1, 2).put((byte) 255);
            // a 3x2 patch at (1, 1) of a 5x4 frame
            assertThat(MaskEncoder.rle(1, 1, pixels, 5, 4)).containsExactly(6, 2, 5, 1, 6);
            // a mask starting at the first pixel begins with an empty background run
            Mat full = new Mat(1, 2, CV_8UC1, new Scalar(255));
            assertThat(MaskEncoder.rle(0, 0, full, 2, 2)).containsExactly(0, 2, 2);
        }
    }

    @Test
    void randomMasksSurviveTheRoundTrip() {
        Random random = new Random(7);
        try (PointerScope scope = new PointerScope()) {
            for (int trial = 0; trial < 50; trial++) {
                int w = 1 + random.nextInt(20);
                int h = 1 + random.nextInt(20);
                int x = random.nextInt(30);
                int y = random.nextInt(30);
                byte[] bits = new byte[w * h];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = (byte) (random.nextBoolean() ? 255 : 0);
                }
                Mat pixels = new Mat(h, w, CV_8UC1);
                pixels.data().put(bits);
                boolean[] decoded = Rle.decode(MaskEncoder.rle(x, y, pixels, 50, 50), 50, 50);
                for (int r = 0; r < 50; r++) {
                    for (int c = 0; c < 50; c++) {
                        boolean inside = r >= y && r < y + h && c >= x && c < x + w && bits[(r - y) * w + (c - x)] != 0;
                        assertThat(decoded[r * 50 + c]).isEqualTo(inside);
                    }
                }
            }
        }
    }

    @Test
    void aRaggedMaskIsSentAsItsFilledPolygonSoTheMessageStaysBounded() {
        try (PointerScope scope = new PointerScope()) {
            // a 100x100 square with every other row of its interior punched out: 100 runs per 2 rows
            Mat pixels = new Mat(100, 100, CV_8UC1, new Scalar(255));
            for (int r = 2; r < 98; r += 2) {
                for (int c = 2; c < 98; c += 3) {
                    pixels.ptr(r, c).put((byte) 0);
                }
            }
            MaskEncoder bounded = new MaskEncoder(1.5, 16, 64);
            MaskEncoder.Encoded encoded = bounded.encode(new Mask(10, 20, pixels, 0), 200, 150);
            assertThat(encoded.rle().counts()).hasSizeLessThanOrEqualTo(2 * 100 + 2);
            assertThat(encoded.polygon()).hasSize(8); // the square's four corners
            assertThat(encoded.polygon()).contains(10, 20, 109, 119);
            boolean[] decoded = Rle.decode(encoded.rle().counts(), 200, 150);
            assertThat(decoded[(20 + 2) * 200 + 10 + 2]).as("hole filled").isTrue();
            assertThat(new MaskEncoder(1.5, 16, 100_000).encode(new Mask(10, 20, pixels, 0), 200, 150).rle().counts().size())
                    .isGreaterThan(1000);
        }
    }
}
