package io.visionfleet.frameprocessor.sam2;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Cost per frame of the encoder input (RESIZE=... bench/sam2/run.sh): {@link ImageInput#fill} with each
 * {@link Sam2Config.Resize} filter, and the resize alone ({@link BicubicResampler} vs OpenCV's {@code INTER_LINEAR}),
 * on random frames of each size given ({@code WIDTHxHEIGHT}) to 1024 x 1024. The variants alternate frame by frame, so
 * the load of a shared machine falls on all alike. Args: frames sizes...
 */
public final class ResizeBench {
    private static final int SIDE = 1024;
    private static final int WARMUP = 30;

    private ResizeBench() {
    }

    public static void main(String[] args) {
        int frames = Integer.parseInt(args[0]);
        System.out.println("| frame | fill, pil-bicubic | fill, linear | resize only: Pillow bicubic (Java) | resize only: OpenCV INTER_LINEAR |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (String size : Arrays.copyOfRange(args, 1, args.length)) {
            int width = Integer.parseInt(size.substring(0, size.indexOf('x')));
            int height = Integer.parseInt(size.substring(size.indexOf('x') + 1));
            System.out.println(run(frames, width, height));
        }
    }

    private static String run(int frames, int width, int height) {
        byte[] source = new byte[width * height * 3];
        new Random(1).nextBytes(source);
        Mat frame = new Mat(height, width, CV_8UC3);
        try (BytePointer data = frame.data()) {
            data.put(source);
        }
        Mat linear = new Mat(SIDE, SIDE, CV_8UC3);
        Size side = new Size(SIDE, SIDE);
        byte[] target = new byte[SIDE * SIDE * 3];
        BicubicResampler resampler = new BicubicResampler(width, height, SIDE, SIDE);
        long[][] ns = new long[4][frames];
        try (ImageInput pil = new ImageInput(SIDE, Sam2Config.Resize.PIL_BICUBIC);
             ImageInput bilinear = new ImageInput(SIDE, Sam2Config.Resize.LINEAR)) {
            Runnable[] variants = {() -> pil.fill(frame), () -> bilinear.fill(frame),
                    () -> resampler.resample(source, width * 3, target),
                    () -> resize(frame, linear, side, 0, 0, INTER_LINEAR)};
            for (int i = -WARMUP; i < frames; i++) {
                for (int v = 0; v < variants.length; v++) {
                    long start = System.nanoTime();
                    variants[v].run();
                    if (i >= 0) {
                        ns[v][i] = System.nanoTime() - start;
                    }
                }
            }
        }
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %dx%d |", width, height));
        for (long[] times : ns) {
            Arrays.sort(times);
            row.append(String.format(Locale.ROOT, " %.2f ms (p90 %.2f) |", times[frames / 2] / 1e6,
                    times[frames * 9 / 10] / 1e6));
        }
        return row.toString();
    }
}
