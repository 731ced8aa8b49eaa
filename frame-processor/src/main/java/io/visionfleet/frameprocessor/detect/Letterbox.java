package io.visionfleet.frameprocessor.detect;

import io.visionfleet.frameprocessor.geom.Box;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * YOLO's input geometry: the frame scaled to fit a square of {@code size} pixels keeping its aspect ratio, centred,
 * the rest filled with grey 114 (as Ultralytics trains with), then RGB, scaled to [0, 1] and laid out as NCHW floats.
 * It also maps boxes from network input pixels back to frame pixels.
 */
final class Letterbox {
    /** Grey of the padding, on the 0-255 scale. */
    static final double PAD = 114;

    private final double scale;
    private final int scaledWidth;
    private final int scaledHeight;
    private final int padX;
    private final int padY;
    private final int size;

    Letterbox(int frameWidth, int frameHeight, int size) {
        this.size = size;
        this.scale = Math.min((double) size / frameWidth, (double) size / frameHeight);
        this.scaledWidth = Math.min(size, (int) Math.round(frameWidth * scale));
        this.scaledHeight = Math.min(size, (int) Math.round(frameHeight * scale));
        this.padX = (size - scaledWidth) / 2;
        this.padY = (size - scaledHeight) / 2;
    }

    /** The network input: {@code CV_32F} blob of shape [1, 3, size, size], RGB in [0, 1]. */
    Mat blob(Mat bgr) {
        Mat scaled = new Mat();
        resize(bgr, scaled, new Size(scaledWidth, scaledHeight), 0, 0, INTER_LINEAR);
        Mat padded = new Mat();
        copyMakeBorder(scaled, padded, padY, size - scaledHeight - padY, padX, size - scaledWidth - padX,
                BORDER_CONSTANT, new Scalar(PAD, PAD, PAD, 0));
        return blobFromImage(padded, 1 / 255.0, new Size(size, size), new Scalar(), true, false, CV_32F);
    }

    /** A box given as centre and size in network input pixels, in frame pixels. */
    Box toFrame(double cx, double cy, double w, double h) {
        return Box.ofCentre((cx - padX) / scale, (cy - padY) / scale, w / scale, h / scale);
    }
}
