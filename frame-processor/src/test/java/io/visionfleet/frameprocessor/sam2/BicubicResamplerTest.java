package io.visionfleet.frameprocessor.sam2;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BicubicResampler} against Pillow's {@code Image.resize(size)} on the {@link PilResizeCases} (the expected
 * pictures hold the rows each case lists): equal to the byte.
 */
@Tag("quick")
class BicubicResamplerTest {
    static List<String> cases() throws Exception {
        return PilResizeCases.lines();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void resizesAsPillowDoesToTheByte(String line) throws Exception {
        PilResizeCases.Case c = PilResizeCases.parse(line);
        try (PointerScope scope = new PointerScope()) {
            Mat source = c.source();
            Mat expected = c.expected();
            assertThat(new int[]{source.cols(), source.rows()}).containsExactly(c.sourceWidth(), c.sourceHeight());
            byte[] sourceBytes = bytes(source);
            byte[] target = new byte[c.width() * c.height() * 3];
            BicubicResampler resampler = new BicubicResampler(c.sourceWidth(), c.sourceHeight(), c.width(), c.height());

            resampler.resample(sourceBytes, c.sourceWidth() * 3, target);
            resampler.resample(sourceBytes, c.sourceWidth() * 3, target); // a second frame: reused state

            byte[] pil = bytes(expected);
            int line3 = c.width() * 3;
            int maxDiff = 0;
            int differing = 0;
            for (int i = 0; i < pil.length; i++) {
                int d = Math.abs((pil[i] & 0xFF) - (target[c.firstRow() * line3 + i] & 0xFF));
                maxDiff = Math.max(maxDiff, d);
                differing += d > 0 ? 1 : 0;
            }
            assertThat(pil).hasSize(c.rowCount() * line3);
            assertThat(maxDiff).as("%s: max |difference| over %d values (%d differ)", c.name(), pil.length, differing)
                    .isZero();
        }
    }

    static byte[] bytes(Mat bgr) {
        byte[] bytes = new byte[bgr.rows() * bgr.cols() * 3];
        assertThat(bgr.isContinuous()).isTrue();
        try (BytePointer data = bgr.data()) {
            data.get(bytes);
        }
        return bytes;
    }
}
