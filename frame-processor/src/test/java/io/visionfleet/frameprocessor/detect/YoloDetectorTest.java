package io.visionfleet.frameprocessor.detect;

import io.visionfleet.frameprocessor.support.TestConfig;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/** The YOLO detector end to end through a real ONNX Runtime session on a model the test builds. */
@Tag("quick")
class YoloDetectorTest {
    private static final int SIZE = 320;
    /** Mean of the letterboxed input of a white 640x320 frame: half white (1.0), half padding (114/255). */
    private static final double WHITE_HALF_PADDED = 0.5 + 0.5 * 114 / 255.0;

    @TempDir
    Path dir;

    @Test
    void decodesLetterboxedBoxesBackToTheFrameSuppressesOverlapsPerClassAndDropsWeakOnes() throws Exception {
        Path model = YoloModels.write(dir.resolve("tiny.onnx"), SIZE,
                new float[][]{{160, 160, 100, 60}, {165, 160, 100, 60}, {160, 160, 100, 60}, {40, 120, 20, 20}, {250, 200, 30, 30}},
                new float[][]{{0.9f, 0, 0}, {0.8f, 0, 0}, {0, 0.7f, 0}, {0, 0, 0}, {0.1f, 0, 0}},
                new float[][]{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 1}, {0, 0, 0}});
        Path labels = Files.writeString(dir.resolve("labels.txt"), "alpha\nbeta\n\ngamma\n");
        YoloDetector detector = new YoloDetector(TestConfig.processor(Map.of(
                "fleet.processor.detector", "yolo",
                "fleet.processor.yolo.model", model.toString(),
                "fleet.processor.yolo.labels", labels.toString())));
        detector.start();
        assertThat(detector.status().ready()).as(detector.status().detail()).isTrue();
        assertThat(detector.status().detail()).contains("tiny.onnx", "3 classes", "input 320x320");

        List<Detection> found;
        try (PointerScope scope = new PointerScope()) {
            found = detector.detect(new Mat(320, 640, CV_8UC3, new Scalar(255, 255, 255, 0)));
        }
        assertThat(found).extracting(Detection::label).containsExactly("alpha", "gamma", "beta");
        Detection alpha = found.get(0);
        // network (160, 160, 100x60) -> frame: scale 0.5, 80 px of padding above
        assertThat(alpha.box().centreX()).isCloseTo(320, within(1e-3));
        assertThat(alpha.box().centreY()).isCloseTo(160, within(1e-3));
        assertThat(alpha.box().width()).isCloseTo(200, within(1e-3));
        assertThat(alpha.box().height()).isCloseTo(120, within(1e-3));
        assertThat(alpha.score()).isCloseTo(0.9, within(1e-6));
        assertThat(found.get(2).box()).isEqualTo(alpha.box());
        Detection gamma = found.get(1);
        assertThat(gamma.score()).as("mean of the letterboxed input").isCloseTo(WHITE_HALF_PADDED, within(2e-3));
        assertThat(gamma.box().centreX()).isCloseTo(80, within(1e-3));
        assertThat(gamma.box().centreY()).isCloseTo(80, within(1e-3));
        detector.closeSession();
    }

    @Test
    void withoutAModelTheDetectorSaysWhyAndDetectsNothing() {
        YoloDetector unset = new YoloDetector(TestConfig.processor(Map.of("fleet.processor.detector", "yolo")));
        unset.start();
        assertThat(unset.status().ready()).isFalse();
        assertThat(unset.status().detail()).contains("fleet.processor.yolo.model");

        YoloDetector missing = new YoloDetector(TestConfig.processor(Map.of("fleet.processor.yolo.model",
                dir.resolve("absent.onnx").toString())));
        missing.start();
        assertThat(missing.status().ready()).isFalse();
        assertThat(missing.status().detail()).contains("absent.onnx", "does not exist");
        try (PointerScope scope = new PointerScope()) {
            assertThat(missing.detect(new Mat(64, 64, CV_8UC3, new Scalar(0)))).isEmpty();
        }
    }

    @Test
    void aFileThatIsNotAModelIsReportedNotLoaded() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        YoloDetector detector = new YoloDetector(TestConfig.processor(Map.of("fleet.processor.yolo.model", junk.toString())));
        detector.start();
        assertThat(detector.status().ready()).isFalse();
        assertThat(detector.status().detail()).startsWith("cannot load model").contains("junk.onnx");
    }
}
