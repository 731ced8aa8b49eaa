package io.visionfleet.slam.calibration;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * {@code calibrate}: estimates a camera's intrinsics from chessboard pictures or videos and prints the
 * {@code fleet.slam.cameras.<stream>.*} lines for {@code application.properties}.
 *
 * <pre>
 * slam-service/calibrate --board 9x6 --square 0.025 [--stream drone] [--every 10] [--max-views 60] FILE|DIR...
 * </pre>
 * Pictures are any format OpenCV reads; other files are decoded as video with FFmpeg, every {@code --every}-th
 * frame examined. Directories contribute their pictures. Exit status: 0 calibrated, 1 too few views, 2 usage.
 */
public final class CalibrateCommand {
    static final String USAGE = "usage: calibrate --board COLSxROWS --square SIZE [--stream ID] [--every N] "
            + "[--max-views N] FILE|DIR...\n  COLSxROWS counts inner corners (a board of 10x7 squares has 9x6)";
    private static final int MIN_VIEWS = 5;
    private static final List<String> PICTURES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".pgm", ".ppm");

    private CalibrateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; the calibration goes to {@code out}, progress and errors to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ChessboardCalibration calibration = new ChessboardCalibration(options.columns, options.rows, options.square);
        int examined = 0;
        try {
            for (Path file : options.files()) {
                if (calibration.views() >= options.maxViews) {
                    break;
                }
                examined += isPicture(file) ? addPicture(calibration, file, err) : addVideo(calibration, file, options, err);
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("calibrate: " + e.getMessage());
            return 2;
        }
        if (calibration.views() < MIN_VIEWS) {
            err.printf(Locale.ROOT, "calibrate: found the %dx%d board in %d of %d pictures; need at least %d%n",
                    options.columns, options.rows, calibration.views(), examined, MIN_VIEWS);
            return 1;
        }
        ChessboardCalibration.Result r = calibration.calibrate();
        err.printf(Locale.ROOT, "calibrate: board found in %d of %d pictures, RMS reprojection error %.3f px%n",
                r.views(), examined, r.rmsPx());
        out.print(r.properties(options.stream));
        return 0;
    }

    private static boolean isPicture(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return PICTURES.stream().anyMatch(name::endsWith);
    }

    private static int addPicture(ChessboardCalibration calibration, Path file, PrintStream err) {
        try (PointerScope scope = new PointerScope()) {
            Mat gray = imread(file.toString(), IMREAD_GRAYSCALE);
            if (gray.empty()) {
                throw new IllegalArgumentException("cannot read picture " + file);
            }
            boolean found = calibration.addView(gray);
            err.printf("%s: %s%n", file, found ? "board found" : "no board");
            return 1;
        }
    }

    private static int addVideo(ChessboardCalibration calibration, Path file, Options options, PrintStream err) throws IOException {
        int examined = 0;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            int index = 0;
            int found = 0;
            for (Frame f = grabber.grabImage(); f != null && calibration.views() < options.maxViews; f = grabber.grabImage()) {
                if (index++ % options.every != 0) {
                    continue;
                }
                try (PointerScope scope = new PointerScope()) {
                    Mat gray = new Mat();
                    cvtColor(converter.convert(f), gray, COLOR_BGR2GRAY);
                    examined++;
                    if (calibration.addView(gray)) {
                        found++;
                    }
                }
            }
            err.printf("%s: board found in %d of %d frames examined%n", file, found, examined);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode " + file + " as video: " + e.getMessage(), e);
        }
        return examined;
    }

    /** Parsed command line. */
    private record Options(int columns, int rows, double square, String stream, int every, int maxViews, List<Path> inputs) {
        static Options parse(String[] args) {
            int columns = 0;
            int rows = 0;
            double square = 0;
            String stream = "drone";
            int every = 10;
            int maxViews = 60;
            List<Path> inputs = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--board" -> {
                        String[] v = value(args, ++i, a).toLowerCase(Locale.ROOT).split("x");
                        if (v.length != 2) {
                            throw new IllegalArgumentException("--board needs COLSxROWS, e.g. 9x6");
                        }
                        columns = integer(v[0], a);
                        rows = integer(v[1], a);
                    }
                    case "--square" -> square = number(value(args, ++i, a), a);
                    case "--stream" -> stream = value(args, ++i, a);
                    case "--every" -> every = integer(value(args, ++i, a), a);
                    case "--max-views" -> maxViews = integer(value(args, ++i, a), a);
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        inputs.add(Path.of(a));
                    }
                }
            }
            if (columns == 0 || !(square > 0)) {
                throw new IllegalArgumentException("--board and --square are required");
            }
            if (every < 1 || maxViews < MIN_VIEWS) {
                throw new IllegalArgumentException("--every must be at least 1 and --max-views at least " + MIN_VIEWS);
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no pictures or videos given");
            }
            return new Options(columns, rows, square, stream, every, maxViews, inputs);
        }

        /** Inputs with directories replaced by their pictures, in name order. */
        List<Path> files() throws IOException {
            List<Path> files = new ArrayList<>();
            for (Path p : inputs) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> list = Files.list(p)) {
                        list.filter(CalibrateCommand::isPicture).sorted().forEach(files::add);
                    }
                } else if (Files.isRegularFile(p)) {
                    files.add(p);
                } else {
                    throw new IOException("no such file or directory: " + p);
                }
            }
            return files;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int integer(String s, String option) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a whole number: " + s);
            }
        }

        private static double number(String s, String option) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a number: " + s);
            }
        }
    }
}
