package io.visionfleet.slam.calibration;

import io.visionfleet.slam.config.SlamConfig;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/** The calibrate command recovers known intrinsics from rendered chessboard pictures and from a video of them. */
@Tag("integration") // renders and calibrates whole chessboard sequences: too slow for the inner loop
class CalibrateCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void picturesOfABoardGiveTheCameraIntrinsics(@TempDir Path dir) throws Exception {
        ChessboardViews views = new ChessboardViews();
        for (int i = 0; i < 14; i++) {
            imwrite(dir.resolve(String.format("view%02d.png", i)).toString(), views.next());
        }
        Files.writeString(dir.resolve("notes.txt"), "not a picture");
        assertThat(run("--board", "9x6", "--square", "0.03", "--stream", "gate", dir.toString())).isZero();
        Properties p = properties();
        assertThat(Double.parseDouble(p.getProperty("fleet.slam.cameras.gate.fx"))).isCloseTo(ChessboardViews.FX, within(ChessboardViews.FX * 0.01));
        assertThat(Double.parseDouble(p.getProperty("fleet.slam.cameras.gate.fy"))).isCloseTo(ChessboardViews.FY, within(ChessboardViews.FY * 0.01));
        assertThat(Double.parseDouble(p.getProperty("fleet.slam.cameras.gate.cx"))).isCloseTo(ChessboardViews.CX, within(3.0));
        assertThat(Double.parseDouble(p.getProperty("fleet.slam.cameras.gate.cy"))).isCloseTo(ChessboardViews.CY, within(3.0));
        String[] d = p.getProperty("fleet.slam.cameras.gate.distortion").split(",");
        assertThat(Double.parseDouble(d[0])).isCloseTo(ChessboardViews.DISTORTION[0], within(0.02));
        assertThat(p.getProperty("fleet.slam.cameras.gate.width")).isEqualTo("640");
        assertThat(err.toString()).contains("board found in 14 of 14 pictures").contains("RMS reprojection error");
    }

    @Test
    void aVideoOfTheBoardCalibratesToo(@TempDir Path dir) throws Exception {
        ChessboardViews views = new ChessboardViews();
        Path video = dir.resolve("board.mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(video.toFile(), ChessboardViews.W, ChessboardViews.H, 0);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libopenh264");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(10);
            recorder.setVideoBitrate(4_000_000);
            recorder.start();
            for (int i = 0; i < 12; i++) {
                Mat bgr = new Mat();
                cvtColor(views.next(), bgr, COLOR_GRAY2BGR);
                for (int repeat = 0; repeat < 5; repeat++) { // each pose held for half a second
                    recorder.record(converter.convert(bgr));
                }
            }
            recorder.stop();
        }
        assertThat(run("--board", "9x6", "--square", "0.03", "--every", "5", video.toString())).isZero();
        Properties p = properties();
        assertThat(Double.parseDouble(p.getProperty("fleet.slam.cameras.drone.fx"))).isCloseTo(ChessboardViews.FX, within(ChessboardViews.FX * 0.015));
        assertThat(Double.parseDouble(p.getProperty("fleet.slam.cameras.drone.cx"))).isCloseTo(ChessboardViews.CX, within(4.0));
    }

    @Test
    void tooFewViewsAndBadArgumentsAreExplained(@TempDir Path dir) throws Exception {
        Mat blank = new ChessboardViews().next().colRange(0, 20).clone();
        imwrite(dir.resolve("blank.png").toString(), blank);
        assertThat(run("--board", "9x6", "--square", "0.03", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("found the 9x6 board in 0 of 1 pictures; need at least 5");
        err.reset();
        assertThat(run("--board", "9x6", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--board and --square are required").contains("usage:");
        err.reset();
        assertThat(run("--board", "nine", "--square", "1", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("COLSxROWS");
        err.reset();
        assertThat(run("--board", "9x6", "--square", "0.03", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
        assertThat(out.toString()).isEmpty();
    }

    /** The printed lines are the keys {@link SlamConfig.Camera} reads. */
    private Properties properties() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(out.toString()));
        assertThat(p.stringPropertyNames()).allMatch(k -> k.startsWith("fleet.slam.cameras."));
        return p;
    }

    private int run(String... args) {
        return CalibrateCommand.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }
}
