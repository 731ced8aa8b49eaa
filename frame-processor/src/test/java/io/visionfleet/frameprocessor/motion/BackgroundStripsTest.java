package io.visionfleet.frameprocessor.motion;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.bitwise_xor;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

/**
 * The background model's common path strip by strip learns exactly what it learns on whole pictures, on a real
 * camera's video (opencv-doc's vtest.avi, 768x576 pedestrians, decoded by FFmpeg: strips of 48 rows), with a pan now
 * and then, whose young pixels send the update through whole pictures and back.
 */
@Tag("integration")
class BackgroundStripsTest {
    private static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    private static final int FRAMES = 150;

    @Test
    void stripsGiveTheForegroundOfWholePicturesFrameByFrame() throws Exception {
        Assumptions.assumeTrue(Files.exists(VTEST), "opencv-doc's vtest.avi is not installed");
        Mat pan = new Mat(3, 3, CV_64F, new DoublePointer(1, 0, -3, 0, 1, 0, 0, 0, 1));
        try (PointerScope scope = new PointerScope(); BackgroundScratch.Pool pool = new BackgroundScratch.Pool();
             GaussianBackground strips = new GaussianBackground(16, 60, pool,
                     StripChooser.fixed(StripChooser.STRIP_TARGET));
             GaussianBackground whole = new GaussianBackground(16, 60, pool, StripChooser.fixed(0));
             FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(VTEST.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            Mat byStrips = new Mat();
            Mat byWhole = new Mat();
            Mat differ = new Mat();
            long foreground = 0;
            int frame = 0;
            for (Frame picture; frame < FRAMES && (picture = grabber.grabImage()) != null; frame++) {
                try (PointerScope perFrame = new PointerScope()) {
                    Mat bgr = converter.convert(picture);
                    if (frame % 50 >= 40) {
                        strips.warp(pan);
                        whole.warp(pan);
                    }
                    strips.apply(bgr, byStrips);
                    whole.apply(bgr, byWhole);
                    bitwise_xor(byStrips, byWhole, differ);
                    assertThat(countNonZero(differ)).as("frame %d", frame).isZero();
                    foreground += countNonZero(byWhole);
                }
            }
            assertThat(frame).isEqualTo(FRAMES);
            assertThat(GaussianBackground.stripRows(byWhole.rows(), 45)).isEqualTo(48);
            assertThat(foreground).as("pedestrians were foreground: the masks compared were not empty")
                    .isGreaterThan(FRAMES * 2000L);
        }
    }
}
