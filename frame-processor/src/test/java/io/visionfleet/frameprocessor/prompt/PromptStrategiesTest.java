package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.detect.Detection;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.support.PointerScopePerTest;
import io.visionfleet.frameprocessor.support.TestConfig;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/** Each automatic prompt strategy seeds where objects are and nothing tracked is. */
@Tag("quick")
@ExtendWith(PointerScopePerTest.class)
class PromptStrategiesTest {
    private static final int W = 320;
    private static final int H = 240;
    @Test
    void gridSeedsEveryCellCentreOutsideTrackedObjects() {
        Seeder grid = new GridStrategy(TestConfig.processor(Map.of("fleet.processor.grid-points", "4"))).open(W, H);
        Mat coverage = new Mat(H, W, CV_8UC1, new Scalar(0));
        coverage.apply(new Rect(0, 0, W / 2, H / 2)).put(new Scalar(255)); // the top-left quarter is tracked
        List<Seed> seeds = grid.seeds(context(frame(), List.of(), coverage, null));
        assertThat(seeds).hasSize(16 - 4);
        assertThat(seeds).noneMatch(s -> s.x() < W / 2.0 && s.y() < H / 2.0);
        assertThat(seeds).contains(Seed.point(40, 30 + 120));
    }

    @Test
    void detectorSeedsUncoveredDetectionsWithTheirLabelsBestFirst() {
        Mat coverage = new Mat(H, W, CV_8UC1, new Scalar(0));
        coverage.apply(new Rect(200, 100, 50, 50)).put(new Scalar(255));
        List<Detection> detections = List.of(
                new Detection(new Box(10, 10, 40, 40), 0, "person", 0.6),
                new Detection(new Box(200, 100, 50, 50), 2, "car", 0.9),
                new Detection(new Box(100, 150, 30, 30), 16, "dog", 0.8));
        List<Seed> seeds = new DetectorStrategy().open(W, H).seeds(context(frame(), detections, coverage, null));
        assertThat(seeds).extracting(Seed::label).containsExactly("dog", "person");
        assertThat(seeds.get(0).box()).isEqualTo(new Box(100, 150, 30, 30));
    }

    @Test
    void motionSeedsTheEnginesMovingRegionsOrWhatChangedBetweenFrames() {
        Seeder motion = new MotionStrategy().open(W, H);
        List<Box> regions = List.of(new Box(5, 5, 20, 20));
        assertThat(motion.seeds(context(frame(), List.of(), null, regions))).containsExactly(Seed.box(regions.get(0), null, 1));

        Seeder differencing = new MotionStrategy().open(W, H);
        Mat before = frame();
        before.apply(new Rect(50, 60, 30, 30)).put(new Scalar(255, 255, 255, 0));
        Mat after = frame();
        after.apply(new Rect(60, 60, 30, 30)).put(new Scalar(255, 255, 255, 0));
        assertThat(differencing.seeds(context(before, List.of(), null, null))).isEmpty();
        List<Seed> moved = differencing.seeds(context(after, List.of(), null, null));
        assertThat(moved).isNotEmpty();
        assertThat(moved.get(0).box().intersection(new Box(50, 60, 40, 30))).isPositive();
        differencing.close();
    }

    @Test
    void saliencySeedsARegionThatStandsOutFromItsSurroundings() {
        Mat scene = frame();
        scene.apply(new Rect(200, 60, 50, 50)).put(new Scalar(20, 20, 240, 0));
        Seeder saliency = new SaliencyStrategy().open(W, H);
        List<Seed> seeds = saliency.seeds(context(scene, List.of(), null, null));
        assertThat(seeds).anyMatch(s -> s.box().intersection(new Box(200, 60, 50, 50)) > 0);
        saliency.close();
    }

    @Test
    void hybridPutsDetectionsFirstAndAddsMovementNoDetectionExplains() {
        Seeder hybrid = new HybridStrategy(new MotionStrategy()).open(W, H);
        List<Detection> detections = List.of(new Detection(new Box(0, 0, 50, 50), 0, "person", 0.7));
        List<Box> moving = List.of(new Box(10, 10, 20, 20), new Box(200, 200, 20, 20));
        List<Seed> seeds = hybrid.seeds(context(frame(), detections, null, moving));
        assertThat(seeds).extracting(Seed::label).containsExactly("person", null);
        assertThat(seeds.get(1).box()).isEqualTo(new Box(200, 200, 20, 20));
    }

    private static SeedContext context(Mat bgr, List<Detection> detections, Mat coverage, List<Box> motion) {
        return new SeedContext(0, bgr, detections, coverage, motion);
    }

    private static Mat frame() {
        return new Mat(H, W, CV_8UC3, new Scalar(90, 100, 110, 0));
    }
}
