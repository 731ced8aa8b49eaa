package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.support.Natives;
import io.visionfleet.frameprocessor.track.Observation;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST_EXACT;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The copy of the frame the motion analysis (camera motion, background model, regions) runs on: at most
 * {@code analysisWidth} pixels wide, because every step of it costs per pixel (a 1280x720 frame took 70 ms, four
 * times a 640x360 one). Regions found on the copy are mapped back to full-frame pixels, so tracks, masks and boxes
 * stay in the frame's coordinates.
 */
final class AnalysisScale implements AutoCloseable {
    private final int width;
    private final int height;
    /** Full-frame pixels per analysed pixel, per axis. */
    private final double fx;
    private final double fy;
    private final Size size;
    private final Mat small = Natives.keep(new Mat());

    /** @param analysisWidth widest analysed copy; 0 analyses the full frame */
    AnalysisScale(int frameWidth, int frameHeight, int analysisWidth) {
        boolean shrink = analysisWidth > 0 && analysisWidth < frameWidth;
        this.width = shrink ? analysisWidth : frameWidth;
        this.height = shrink ? Math.max(1, (int) Math.round((double) frameHeight * analysisWidth / frameWidth)) : frameHeight;
        this.fx = (double) frameWidth / width;
        this.fy = (double) frameHeight / height;
        this.size = Natives.keep(new Size(width, height));
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    private boolean identity() {
        return fx == 1 && fy == 1;
    }

    /** The frame at analysis size (the frame itself when it is no wider); valid until the next call. */
    Mat shrink(Mat bgr) {
        if (identity()) {
            return bgr;
        }
        resize(bgr, small, size, 0, 0, INTER_AREA);
        return small;
    }

    /** A number of analysed pixels as full-frame pixels. */
    int toFullArea(int area) {
        return (int) Math.round(area * fx * fy);
    }

    /**
     * A region in full-frame pixels: its mask is enlarged onto the full-frame pixels its cells cover, each taking the
     * value of the analysed pixel that holds its centre.
     */
    Observation toFull(Observation o) {
        if (identity()) {
            return o;
        }
        Mask m = o.mask();
        int x0 = (int) Math.round(m.x() * fx);
        int y0 = (int) Math.round(m.y() * fy);
        int x1 = (int) Math.round((m.x() + m.width()) * fx);
        int y1 = (int) Math.round((m.y() + m.height()) * fy);
        Mat pixels = new Mat();
        resize(m.pixels(), pixels, new Size(x1 - x0, y1 - y0), 0, 0, INTER_NEAREST_EXACT);
        Mask full = new Mask(x0, y0, pixels, countNonZero(pixels));
        return new Observation(full.box(), full, o.score(), o.colour(), o.part());
    }

    /** A homography between analysed pictures as one between full frames. */
    Mat toFull(Mat homography) {
        return identity() ? homography : CameraMotion.rescale(homography, 1 / fx, 1 / fy);
    }

    @Override
    public void close() {
        Natives.release(size, small);
    }
}
