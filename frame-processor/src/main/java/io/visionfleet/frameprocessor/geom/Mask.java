package io.visionfleet.frameprocessor.geom;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An object's pixels: a binary image ({@code CV_8UC1}, non-zero inside) covering the frame region that starts at
 * ({@code x}, {@code y}). Its native memory belongs to the frame being processed: it is freed when that frame's
 * processing returns, so results derived from it (RLE, polygon, overlay) are computed within the frame.
 */
public record Mask(int x, int y, Mat pixels, int area) {
    public int width() {
        return pixels.cols();
    }

    public int height() {
        return pixels.rows();
    }

    public Box box() {
        return new Box(x, y, width(), height());
    }
}
