package io.visionfleet.sim.scene;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class GroundTruthSceneTest {
    private static final int W = 320;
    private static final int H = 180;

    @Test
    void anUnhiddenActorShowsItsWholeShapeWhereTheIdMapSaysAndInItsColour() {
        GroundTruthScene scene = GroundTruthScenes.enterLeave(W, H);
        byte[] bgr = new byte[W * H * 3];
        byte[] ids = new byte[W * H];
        FrameTruth truth = scene.render(scene.viewport(75), 75, bgr, ids);
        SceneActor red = scene.actors().get(0);
        FrameTruth.ObjectTruth object = truth.object(red.id()).orElseThrow();
        // pixels whose centres fall inside the shape: a fractional position may cost the last row or column
        assertThat(object.bbox()[2]).isBetween(red.width() - 1, red.width());
        assertThat(object.bbox()[3]).isBetween(red.height() - 1, red.height());
        assertThat(object.area()).isEqualTo(object.bbox()[2] * object.bbox()[3]);
        assertThat(object.visibleFraction()).isGreaterThan(0.9);
        assertThat(object.counted()).isTrue();
        for (int y = object.bbox()[1]; y < object.bbox()[1] + object.bbox()[3]; y++) {
            for (int x = object.bbox()[0]; x < object.bbox()[0] + object.bbox()[2]; x++) {
                assertThat(truth.shows(red.id(), x, y)).isTrue();
                assertThat(bgr[(y * W + x) * 3 + 2] & 0xff).as("red channel").isGreaterThan(180);
            }
        }
    }

    @Test
    void theNearerActorHidesTheFartherWhereTheyCross() {
        FrameTruth truth = GroundTruthScenes.crossing(W, H).truth(120);
        assertThat(truth.object(2).orElseThrow().visibleFraction()).isGreaterThan(0.99);
        assertThat(truth.object(1).orElseThrow().visibleFraction()).isBetween(0.3, 0.9);
    }

    @Test
    void sceneryHidesActorsAndBarelyVisibleOnesAreNotCounted() {
        GroundTruthScene scene = GroundTruthScenes.occlusion(W, H);
        SceneActor actor = scene.actors().stream().filter(a -> a.id() == 1).findFirst().orElseThrow();
        long behindPillar = -1;
        long partly = -1;
        for (long f = 0; f < scene.frames(); f++) {
            FrameTruth truth = scene.truth(f);
            double x = actor.centre(f)[0];
            if (truth.object(1).isEmpty() && x > 0 && x < W) {
                behindPillar = f;
            }
            if (truth.object(1).map(o -> !o.counted()).orElse(false)) {
                partly = f;
            }
        }
        assertThat(behindPillar).as("a frame where actor 1 is wholly behind the pillar").isPositive();
        assertThat(partly).as("a frame where too little of actor 1 shows to count").isPositive();
    }

    @Test
    void theWorldStaysPutUnderAPanningViewport() {
        GroundTruthScene scene = GroundTruthScenes.panning(W, H);
        byte[] a = new byte[W * H * 3];
        byte[] b = new byte[W * H * 3];
        FrameTruth ta = scene.render(new Viewport(40, 20, 1), 50, a, new byte[W * H]);
        FrameTruth tb = scene.render(new Viewport(50, 20, 1), 50, b, new byte[W * H]);
        for (int y = 0; y < H; y++) {
            assertThat(Arrays.copyOfRange(b, y * W * 3, (y * W + W - 10) * 3))
                    .isEqualTo(Arrays.copyOfRange(a, (y * W + 10) * 3, (y * W + W) * 3));
        }
        int id = ta.objects().get(0).id();
        assertThat(tb.object(id).orElseThrow().bbox()[0]).isEqualTo(ta.object(id).orElseThrow().bbox()[0] - 10);
        assertThat(scene.viewport(200).x()).isGreaterThan(scene.viewport(100).x()).isGreaterThan(scene.viewport(0).x());
    }

    @Test
    void clipsEncodeFromTheSceneAndDecodeFrameForFrame(@TempDir Path dir) throws Exception {
        GroundTruthScene scene = GroundTruthScenes.crossing(W, H);
        Path mp4 = SyntheticVideo.mp4(dir.resolve("crossing.mp4"), W, H, 30, 30, 40, scene::render);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            int decoded = 0;
            for (Frame f; (f = grabber.grabImage()) != null; decoded++) {
                if (decoded == 30) {
                    int[] box = scene.truth(30).object(1).orElseThrow().bbox();
                    ByteBuffer px = (ByteBuffer) f.image[0];
                    int p = (box[1] + box[3] / 2) * f.imageStride + (box[0] + box[2] / 2) * 3;
                    assertThat(px.get(p + 2) & 0xff).isGreaterThan(150);
                }
            }
            assertThat(decoded).isEqualTo(40);
        }
    }
}
