package io.visionfleet.frameprocessor.sam2;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/**
 * {@link BicubicResampler} against Pillow's {@code Image.resize(size)} on the frames of {@code sam2/pil-resize}
 * (made by its {@code make.py}; the expected pictures hold the rows each case lists): equal to the byte.
 */
class BicubicResamplerTest {
    static List<String> cases() throws Exception {
        return Files.readAllLines(PilResizeCases.dir().resolve("cases.txt"));
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

    /** The committed cases: {@code NAME source_width source_height target_width target_height first_row row_count}. */
    static final class PilResizeCases {
        private PilResizeCases() {
        }

        static Path dir() throws Exception {
            return Path.of(BicubicResamplerTest.class.getResource("/sam2/pil-resize/cases.txt").toURI()).getParent();
        }

        static Case parse(String line) {
            String[] f = line.trim().split(" ");
            return new Case(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]));
        }

        record Case(String name, int sourceWidth, int sourceHeight, int width, int height, int firstRow, int rowCount) {
            Mat source() throws Exception {
                return read(name + "-source.png");
            }

            /** Pillow's output, rows {@code firstRow} to {@code firstRow + rowCount}. */
            Mat expected() throws Exception {
                return read(name + "-pil.png");
            }

            private static Mat read(String file) throws Exception {
                Mat m = imread(dir().resolve(file).toString(), IMREAD_COLOR);
                assertThat(m.empty()).as(file).isFalse();
                return m;
            }
        }
    }
}
