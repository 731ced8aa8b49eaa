package io.visionfleet.frameprocessor.geom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CMP_NE;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

@Tag("quick")
class MasksTest {
    /** The faster labeling must not change what the motion engine sees: the same labels, in the same order. */
    @Test
    void componentsLabelAsOpenCvsDefaultDoes() {
        try (PointerScope scope = new PointerScope()) {
            setRNGSeed(3);
            Mat noise = new Mat(360, 640, CV_8UC1);
            randu(noise, new Mat(1, 1, CV_64F, new Scalar(0)), new Mat(1, 1, CV_64F, new Scalar(256)));
            Mat binary = new Mat();
            threshold(noise, binary, 200, 255, THRESH_BINARY); // about a fifth set: thousands of small components
            Mat labels = new Mat();
            Mat stats = new Mat();
            Mat expectedLabels = new Mat();
            Mat expectedStats = new Mat();

            int n = Masks.components(binary, labels, stats, new Mat());
            int expected = connectedComponentsWithStats(binary, expectedLabels, expectedStats, new Mat(), 8, CV_32S);

            assertThat(n).isEqualTo(expected).isGreaterThan(1000);
            Mat differs = new Mat();
            compare(labels, expectedLabels, differs, CMP_NE);
            assertThat(countNonZero(differs)).isZero();
            compare(stats, expectedStats, differs, CMP_NE);
            assertThat(countNonZero(differs.reshape(1, 0))).isZero();
            try (IntIndexer s = stats.createIndexer()) {
                long area = 0;
                for (int i = 1; i < n; i++) {
                    area += s.get(i, CC_STAT_AREA);
                }
                assertThat(area).isEqualTo(countNonZero(binary));
            }
        }
    }
}
