import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_core.CMP_NE;
import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;
import static org.bytedeco.opencv.global.opencv_imgproc.CCL_BBDT;
import static org.bytedeco.opencv.global.opencv_imgproc.CCL_DEFAULT;
import static org.bytedeco.opencv.global.opencv_imgproc.CCL_SAUF;
import static org.bytedeco.opencv.global.opencv_imgproc.CCL_SPAGHETTI;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStatsWithAlgorithm;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

/**
 * What labeling the connected components of foreground masks costs by OpenCV's algorithm, on one thread as the
 * services run OpenCV: the masks are a real clip's foreground (OpenCV's MOG2, then the motion engine's default opening
 * and closing), each algorithm labels all of them five rounds, and each line says whether its labels and stats equal
 * the default's on every mask. frame-processor labels with BBDT and 32-bit labels ({@code Masks.components}).
 *
 *   java -cp "$(cat frame-processor/target/classpath.txt)" bench/frame-processor/LabelingCost.java CLIP [FRAMES]
 */
public class LabelingCost {
    record Variant(String name, int algorithm, int labelType) {
    }

    public static void main(String[] args) throws Exception {
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        setNumThreads(1);
        List<Mat> masks = masks(args[0], max);
        Mat[] expected = label(masks, new Variant("default", CCL_DEFAULT, CV_32S));
        System.out.printf(Locale.ROOT, "%d masks of %dx%d from %s%n", masks.size(), masks.get(0).cols(),
                masks.get(0).rows(), args[0]);
        for (Variant v : List.of(new Variant("default (Spaghetti)", CCL_DEFAULT, CV_32S),
                new Variant("Spaghetti", CCL_SPAGHETTI, CV_32S), new Variant("BBDT", CCL_BBDT, CV_32S),
                new Variant("SAUF", CCL_SAUF, CV_32S), new Variant("Spaghetti, 16-bit labels", CCL_SPAGHETTI, CV_16U))) {
            Mat[] got = label(masks, v);
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                best = Math.min(best, msPerMask(masks, v));
            }
            System.out.printf(Locale.ROOT, "%-26s %.3f ms a mask (best of 5 rounds); same labels and stats as the default: %s%n",
                    v.name, best, v.labelType == CV_32S ? same(expected, got) : "-");
        }
    }

    private static List<Mat> masks(String clip, int max) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        List<Mat> masks = new ArrayList<>();
        Mat open = getStructuringElement(MORPH_RECT, new Size(3, 3));
        Mat close = getStructuringElement(MORPH_RECT, new Size(7, 7));
        BackgroundSubtractorMOG2 mog2 = createBackgroundSubtractorMOG2(500, 16, false);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            for (Frame frame; masks.size() < max && (frame = grabber.grabImage()) != null; ) {
                Mat mask = new Mat();
                mog2.apply(converter.convert(frame), mask);
                morphologyEx(mask, mask, MORPH_OPEN, open);
                morphologyEx(mask, mask, MORPH_CLOSE, close);
                masks.add(mask);
            }
        }
        return masks;
    }

    /** Labels and stats of every mask, alternately: [labels 0, stats 0, labels 1, ...]. */
    private static Mat[] label(List<Mat> masks, Variant v) {
        Mat[] out = new Mat[2 * masks.size()];
        for (int i = 0; i < masks.size(); i++) {
            out[2 * i] = new Mat();
            out[2 * i + 1] = new Mat();
            connectedComponentsWithStatsWithAlgorithm(masks.get(i), out[2 * i], out[2 * i + 1], new Mat(), 8,
                    v.labelType, v.algorithm);
        }
        return out;
    }

    private static double msPerMask(List<Mat> masks, Variant v) {
        try (PointerScope scope = new PointerScope()) {
            Mat labels = new Mat();
            Mat stats = new Mat();
            Mat centroids = new Mat();
            long start = System.nanoTime();
            for (Mat mask : masks) {
                connectedComponentsWithStatsWithAlgorithm(mask, labels, stats, centroids, 8, v.labelType, v.algorithm);
            }
            return (System.nanoTime() - start) / 1e6 / masks.size();
        }
    }

    private static String same(Mat[] expected, Mat[] got) {
        int equal = 0;
        for (int i = 0; i < expected.length; i += 2) {
            Mat differs = new Mat();
            compare(expected[i], got[i], differs, CMP_NE);
            boolean labels = countNonZero(differs) == 0;
            boolean stats = expected[i + 1].rows() == got[i + 1].rows();
            if (stats) {
                compare(expected[i + 1], got[i + 1], differs, CMP_NE);
                stats = countNonZero(differs.reshape(1, 0)) == 0;
            }
            equal += labels && stats ? 1 : 0;
        }
        return equal + " of " + expected.length / 2;
    }
}
