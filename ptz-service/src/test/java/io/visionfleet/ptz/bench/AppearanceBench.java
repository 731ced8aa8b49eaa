package io.visionfleet.ptz.bench;

import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.ptz.Masks;
import io.visionfleet.ptz.appearance.ColourHistogram;
import io.visionfleet.ptz.appearance.MaskAppearance;
import io.visionfleet.ptz.appearance.PictureRing;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.sim.SimWorld;
import org.bytedeco.javacv.Frame;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * What appearance matching costs per picture and per object, on a 640x360 view of the simulator's {@code decoy} world
 * (docs/ptz.md gives the command): keeping a picture in the ring from a Java array (the simulator) and from a decoded
 * frame (the RTSP consumer), next to a plain copy of the picture as the reference; one object's histogram from its
 * RLE mask; one similarity. Prints the median and p99 in microseconds.
 */
public final class AppearanceBench {
    private static final int RUNS = 3000;

    public static void main(String[] args) {
        int w = 640;
        int h = 360;
        SimWorld world = SimWorld.of("decoy", w, h, 60, 15, 40);
        byte[] bgr = new byte[w * h * 3];
        byte[] ids = new byte[w * h];
        FrameTruth truth = world.render(new PtzStatus(5, 0, 1, false), 157, bgr, ids);
        FrameTruth.ObjectTruth o = truth.object(SimWorld.RUNNER).orElseThrow();
        TrackedObject runner = new TrackedObject(1, "person", 1, o.bbox(), o.area(), Masks.rle(truth, SimWorld.RUNNER), null);
        PictureRing ring = new PictureRing(16, Duration.ofMillis(40), 160);
        MaskAppearance appearance = new MaskAppearance(ring);
        byte[] copy = new byte[bgr.length];
        try (Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            ((ByteBuffer) frame.image[0]).put(0, bgr);
            long[] ts = {0};
            report("reference: copy of the 640x360 picture", () -> System.arraycopy(bgr, 0, copy, 0, bgr.length));
            report("ring.put from the simulator's array", () -> ring.put(++ts[0], bgr, w, h));
            report("ring.put from a decoded frame", () -> ring.put(++ts[0], frame));
            float[][] hist = new float[1][];
            report("histogram of one object (RLE mask)", () -> hist[0] = appearance.histogram(ts[0], runner, w, h));
            report("similarity of two histograms", () -> ColourHistogram.similarity(hist[0], hist[0]));
        }
        System.out.printf(Locale.ROOT, "nproc %d%n", Runtime.getRuntime().availableProcessors());
    }

    private static void report(String what, Runnable op) {
        for (int i = 0; i < RUNS / 3; i++) {
            op.run();
        }
        long[] ns = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            op.run();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "%-42s p50 %7.1f us  p99 %7.1f us%n", what, ns[RUNS / 2] / 1e3, ns[RUNS * 99 / 100] / 1e3);
    }
}
