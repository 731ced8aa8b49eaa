package io.visionfleet.ptz.appearance;

import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.ptz.Masks;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.sim.SimWorld;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The colour histogram of a mask, its similarity and the picture ring's lookup by capture time. */
@Tag("quick")
class AppearanceTest {
    private static final int W = 64;
    private static final int H = 32;
    private static final int[] RED = {40, 40, 230};
    private static final int[] BLUE = {230, 80, 30};
    private static final int[] GREY = {120, 120, 120};

    @Test
    void theSameColourIsSimilarAndAnotherIsNot() {
        float[] red = histogram(picture(RED, BLUE), object(left()));
        float[] redAgain = histogram(picture(RED, GREY), object(left()));
        float[] blue = histogram(picture(RED, BLUE), object(right()));
        assertThat(sum(red)).isCloseTo(1, within(1e-4));
        double same = ColourHistogram.similarity(red, redAgain);
        double other = ColourHistogram.similarity(red, blue);
        System.out.printf("similarity red/red %.3f, red/blue %.3f%n", same, other);
        assertThat(same).isGreaterThan(0.95);
        assertThat(other).isLessThan(0.05);
        assertThat(ColourHistogram.similarity(red, red)).isCloseTo(1, within(1e-6));
    }

    @Test
    void aBoxStandsInForAMissingMask() {
        PictureRing ring = new PictureRing(2, Duration.ofMillis(40), 160);
        ring.put(1000, picture(RED, BLUE), W, H);
        MaskAppearance appearance = new MaskAppearance(ring);
        float[] byMask = appearance.histogram(1000, object(left()), W, H);
        float[] byBox = appearance.histogram(1000, new TrackedObject(1, "person", 1, new int[]{0, 0, W / 2, H}, 0, null, null), W, H);
        assertThat(ColourHistogram.similarity(byMask, byBox)).isGreaterThan(0.99);
        assertThat(appearance.histogram(2000, object(left()), W, H)).as("no picture at that time").isNull();
    }

    @Test
    void theRunnerAndTheDecoyOfTheSimulatorDifferInColour() {
        SimWorld world = SimWorld.of("decoy", 640, 360, 60, 15, 40);
        byte[] bgr = new byte[640 * 360 * 3];
        byte[] ids = new byte[640 * 360];
        // 1.5 s after they part at pan 0 (frame 135): both wholly visible to a camera at pan 5
        FrameTruth truth = world.render(new PtzStatus(5, 0, 1, false), 135 + 22, bgr, ids);
        PictureRing ring = new PictureRing(4, Duration.ofMillis(40), 160);
        ring.put(5000, bgr, 640, 360);
        MaskAppearance appearance = new MaskAppearance(ring);
        float[] runner = appearance.histogram(5000, object(truth, SimWorld.RUNNER), 640, 360);
        float[] decoy = appearance.histogram(5000, object(truth, SimWorld.DECOY), 640, 360);
        double s = ColourHistogram.similarity(runner, decoy);
        System.out.printf("similarity of the simulator's runner and decoy at 160 px: %.3f%n", s);
        assertThat(s).isLessThan(0.2);
    }

    @Test
    void theRingFindsTheNearestPictureWithinTheToleranceAndEvictsTheOldest() {
        PictureRing ring = new PictureRing(3, Duration.ofMillis(40), 16);
        byte[] picture = picture(RED, BLUE);
        ring.put(1000, picture, W, H);
        ring.put(1066, picture, W, H);
        ring.put(1133, picture, W, H);
        assertThat(ring.nearest(1070).captureTs()).isEqualTo(1066);
        assertThat(ring.nearest(1100).captureTs()).isEqualTo(1133);
        assertThat(ring.nearest(1000).captureTs()).isEqualTo(1000);
        assertThat(ring.nearest(1174)).as("41 ms off").isNull();
        ring.put(1200, picture, W, H);
        assertThat(ring.nearest(1000)).as("evicted").isNull();
        assertThat(ring.nearest(1190).captureTs()).isEqualTo(1200);
        PictureRing.Picture p = ring.nearest(1200);
        assertThat(p.width()).as("downscaled").isEqualTo(16);
        assertThat(p.height()).isEqualTo(8);
        assertThat(p.bgr()).hasSize(16 * 8 * 3);
    }

    @Test
    void decodedFramesAndJavaArraysGiveTheSamePicture() {
        byte[] picture = picture(RED, BLUE);
        try (Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            ByteBuffer b = (ByteBuffer) frame.image[0];
            for (int y = 0; y < H; y++) {
                b.put(y * frame.imageStride, picture, y * W * 3, W * 3);
            }
            PictureRing fromFrame = new PictureRing(1, Duration.ofMillis(40), 32);
            PictureRing fromArray = new PictureRing(1, Duration.ofMillis(40), 32);
            fromFrame.put(10, frame);
            fromArray.put(10, picture, W, H);
            assertThat(fromFrame.nearest(10).bgr()).isEqualTo(fromArray.nearest(10).bgr());
        }
    }

    private static float[] histogram(byte[] picture, TrackedObject o) {
        PictureRing ring = new PictureRing(1, Duration.ofMillis(40), 160);
        ring.put(1, picture, W, H);
        return new MaskAppearance(ring).histogram(1, o, W, H);
    }

    /** Left half {@code left}, right half {@code right}, each with the stripes the simulator draws. */
    private static byte[] picture(int[] left, int[] right) {
        byte[] bgr = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] c = x < W / 2 ? left : right;
                int shade = ((x + y) / 4 & 1) == 0 ? 100 : 82;
                for (int k = 0; k < 3; k++) {
                    bgr[(y * W + x) * 3 + k] = (byte) (c[k] * shade / 100);
                }
            }
        }
        return bgr;
    }

    private static TrackedObject.MaskRle left() {
        return half(true);
    }

    private static TrackedObject.MaskRle right() {
        return half(false);
    }

    /** A mask of one half, a few pixels in from its edges. */
    private static TrackedObject.MaskRle half(boolean left) {
        byte[] ids = new byte[W * H];
        for (int y = 2; y < H - 2; y++) {
            for (int x = left ? 2 : W / 2 + 2; x < (left ? W / 2 - 2 : W - 2); x++) {
                ids[y * W + x] = 1;
            }
        }
        return Masks.rle(new FrameTruth(0, W, H, ids, List.of()), 1);
    }

    private static TrackedObject object(TrackedObject.MaskRle mask) {
        return new TrackedObject(1, "person", 1, new int[]{0, 0, W, H}, 0, mask, null);
    }

    private static TrackedObject object(FrameTruth truth, int id) {
        FrameTruth.ObjectTruth o = truth.object(id).orElseThrow();
        return new TrackedObject(id, "person", 1, o.bbox(), o.area(), Masks.rle(truth, id), null);
    }

    private static double sum(float[] h) {
        double s = 0;
        for (float v : h) {
            s += v;
        }
        return s;
    }
}
