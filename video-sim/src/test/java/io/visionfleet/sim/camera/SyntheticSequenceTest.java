package io.visionfleet.sim.camera;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The synthetic SLAM sequence: geometry consistent with its pictures, path and IMU as documented, files readable. */
@Tag("quick")
class SyntheticSequenceTest {
    private static final int W = 320;
    private static final int H = 240;

    @Test
    void pathIsThreeToFiveMetresAndStaysInsideTheRoom() {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        assertThat(seq.frames()).isBetween(300, 600);
        assertThat(seq.path().length()).isBetween(3.0, 5.0);
        for (int i = 0; i < seq.frames(); i += 10) {
            double[] t = seq.pose(i).t();
            assertThat(t[0]).isBetween(-4.5, 4.5);
            assertThat(t[1]).isBetween(-2.5, 1.5);
            assertThat(t[2]).isBetween(0.5, 3.5);
        }
    }

    @Test
    void theSceneSpansSeveralDepthsAndEveryPixelSeesASurface() {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < seq.frames(); i += 50) {
            for (int y = 0; y < H; y += 8) {
                for (int x = 0; x < W; x += 8) {
                    double z = seq.depth(i, x, y);
                    assertThat(z).as("depth at %d,%d of frame %d", x, y, i).isFinite();
                    min = Math.min(min, z);
                    max = Math.max(max, z);
                }
            }
        }
        assertThat(min).isLessThan(2.5);
        assertThat(max).isGreaterThan(5.5);
    }

    /** A surface point seen in frame 0 is projected by the ground truth into frame 12 where the picture shows the same texture. */
    @Test
    void groundTruthPosesAgreeWithTheRenderedPictures() {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        PinholeCamera cam = seq.camera();
        byte[] a = new byte[W * H * 3];
        byte[] b = new byte[W * H * 3];
        seq.render(0, a);
        seq.render(12, b);
        double sameDiff = 0;
        double shiftedDiff = 0;
        int n = 0;
        for (int y = 20; y < H - 20; y += 7) {
            for (int x = 20; x < W - 20; x += 7) {
                double z = seq.depth(0, x, y);
                double[] world = toWorld(seq.pose(0), new double[]{(x - cam.cx()) / cam.fx() * z, (y - cam.cy()) / cam.fy() * z, z});
                double[] c = toCamera(seq.pose(12), world);
                int u = (int) Math.round(cam.fx() * c[0] / c[2] + cam.cx());
                int v = (int) Math.round(cam.fy() * c[1] / c[2] + cam.cy());
                if (u < 0 || v < 0 || u >= W || v >= H || Math.abs(seq.depth(12, u, v) - c[2]) > 0.02) {
                    continue; // left the view or occluded
                }
                sameDiff += Math.abs(grey(a, x, y) - grey(b, u, v));
                shiftedDiff += Math.abs(grey(a, x, y) - grey(b, Math.min(W - 1, u + 9), v));
                n++;
            }
        }
        assertThat(n).isGreaterThan(500);
        assertThat(sameDiff / n).isLessThan(8);
        assertThat(shiftedDiff / n).isGreaterThan(4 * sameDiff / n);
    }

    @Test
    void imuReadsGravityAndTheRotationBetweenFrames() {
        SyntheticSequence seq = SyntheticSequence.standard(W, H, false);
        for (int i = 10; i < seq.frames() - 10; i += 37) {
            ImuSample imu = seq.path().imu(seq.timestamp(i));
            double g = Math.sqrt(dot(imu.accel(), imu.accel()));
            assertThat(g).isCloseTo(CameraPath.GRAVITY, within(0.3));
            // integrate the gyro over one frame and compare with the ground-truth relative rotation
            double dt = 1.0 / seq.fps();
            double[] w = seq.path().imu(seq.timestamp(i) + dt / 2).gyro();
            double[] rel = CameraPath.mul(CameraPath.transpose(seq.pose(i).r()), seq.pose(i + 1).r());
            assertThat(new double[]{(rel[7] - rel[5]) / 2, (rel[2] - rel[6]) / 2, (rel[3] - rel[1]) / 2})
                    .containsExactly(new double[]{w[0] * dt, w[1] * dt, w[2] * dt}, within(2e-5));
        }
    }

    @Test
    void noisyVariantDiffersFromTheCleanOneByItsNoiseLevel() {
        byte[] clean = new byte[W * H * 3];
        byte[] noisy = new byte[W * H * 3];
        SyntheticSequence.standard(W, H, false).render(5, clean);
        SyntheticSequence.standard(W, H, true).render(5, noisy);
        double sq = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = (clean[i] & 0xff) - (noisy[i] & 0xff);
            sq += d * d;
        }
        double rms = Math.sqrt(sq / clean.length);
        assertThat(rms).isBetween(Degradation.NOISY.noiseSigma(), 6 * Degradation.NOISY.noiseSigma());
    }

    @Test
    void cachedSequenceDecodesToEveryFrameWithItsGroundTruth(@TempDir Path dir) throws Exception {
        SyntheticSequence seq = new SyntheticSequence(PinholeCamera.withFieldOfView(W, H, 60), 40, 30, Degradation.NONE);
        SyntheticSequence.Cached files = seq.cached(dir);
        long modified = Files.getLastModifiedTime(files.mp4()).toMillis();
        assertThat(seq.cached(dir)).isEqualTo(files);
        assertThat(Files.getLastModifiedTime(files.mp4()).toMillis()).isEqualTo(modified);
        List<String> gt = Files.readAllLines(files.groundTruth()).stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(gt).hasSize(40);
        assertThat(gt.get(1).split(" ")).hasSize(8);
        int frames = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(files.mp4().toFile())) {
            grabber.start();
            assertThat(grabber.getImageWidth()).isEqualTo(W);
            for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                frames++;
            }
        }
        assertThat(frames).isEqualTo(40);
    }

    private static int grey(byte[] bgr, int x, int y) {
        int p = (y * W + x) * 3;
        return ((bgr[p] & 0xff) + (bgr[p + 1] & 0xff) + (bgr[p + 2] & 0xff)) / 3;
    }

    private static double[] toWorld(CameraPose pose, double[] c) {
        double[] r = pose.r();
        return new double[]{r[0] * c[0] + r[1] * c[1] + r[2] * c[2] + pose.t()[0],
                r[3] * c[0] + r[4] * c[1] + r[5] * c[2] + pose.t()[1],
                r[6] * c[0] + r[7] * c[1] + r[8] * c[2] + pose.t()[2]};
    }

    private static double[] toCamera(CameraPose pose, double[] w) {
        double[] r = pose.r();
        double[] d = {w[0] - pose.t()[0], w[1] - pose.t()[1], w[2] - pose.t()[2]};
        return new double[]{r[0] * d[0] + r[3] * d[1] + r[6] * d[2], r[1] * d[0] + r[4] * d[1] + r[7] * d[2],
                r[2] * d[0] + r[5] * d[1] + r[8] * d[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
