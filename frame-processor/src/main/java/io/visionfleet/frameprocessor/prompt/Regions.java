package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Masks;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_HEIGHT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_LEFT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_TOP;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_WIDTH;

/** Boxes of the connected components of a binary map, largest first: the seeds of the motion and saliency strategies. */
final class Regions {
    private Regions() {
    }

    static List<Box> of(Mat binary, int minArea) {
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int n = Masks.components(binary, labels, stats, centroids);
        List<int[]> found = new ArrayList<>();
        try (IntIndexer s = stats.createIndexer()) {
            for (int i = 1; i < n; i++) {
                if (s.get(i, CC_STAT_AREA) >= minArea) {
                    found.add(new int[]{s.get(i, CC_STAT_LEFT), s.get(i, CC_STAT_TOP), s.get(i, CC_STAT_WIDTH),
                            s.get(i, CC_STAT_HEIGHT), s.get(i, CC_STAT_AREA)});
                }
            }
        }
        found.sort(Comparator.comparingInt((int[] r) -> r[4]).reversed());
        return found.stream().map(r -> new Box(r[0], r[1], r[2], r[3])).toList();
    }
}
