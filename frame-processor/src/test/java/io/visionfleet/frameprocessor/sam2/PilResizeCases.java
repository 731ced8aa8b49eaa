package io.visionfleet.frameprocessor.sam2;

import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/**
 * Pillow's resizes committed under {@code sam2/pil-resize} (made by its {@code make.py}), one line of
 * {@code cases.txt} each: {@code NAME source_width source_height target_width target_height first_row row_count}.
 */
final class PilResizeCases {
    /** vtest.avi's 768x576 to 1024x1024, the whole output stored. */
    static final Case VTEST = parse("vtest 768 576 1024 1024 0 1024");

    private PilResizeCases() {
    }

    static List<String> lines() throws Exception {
        return Files.readAllLines(dir().resolve("cases.txt"));
    }

    static Case parse(String line) {
        String[] f = line.trim().split(" ");
        return new Case(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]));
    }

    private static Path dir() throws Exception {
        return Path.of(PilResizeCases.class.getResource("/sam2/pil-resize/cases.txt").toURI()).getParent();
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
