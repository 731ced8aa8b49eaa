package io.visionfleet.ptz.appearance;

import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.control.AppearanceSource;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * A camera's appearance source: the picture of the result's capture time from the camera's {@link PictureRing}, and
 * the object's colour histogram inside its mask scaled to that picture (its box when the result has no mask).
 */
public final class MaskAppearance implements AppearanceSource {
    private final PictureRing ring;

    public MaskAppearance(PictureRing ring) {
        this.ring = ring;
    }

    @Override
    public float[] histogram(long captureTs, TrackedObject object, int frameWidth, int frameHeight) {
        PictureRing.Picture picture = ring.nearest(captureTs);
        if (picture == null || frameWidth <= 0 || frameHeight <= 0) {
            return null;
        }
        try (PointerScope scope = new PointerScope()) {
            Mat mask = mask(object, frameWidth, frameHeight, picture.width(), picture.height());
            return mask == null ? null : ColourHistogram.of(picture.mat(), mask);
        }
    }

    private static Mat mask(TrackedObject o, int frameWidth, int frameHeight, int width, int height) {
        byte[] full = decoded(o.mask());
        if (full != null && full.length > 0) {
            Mat m = new Mat(o.mask().height(), o.mask().width(), CV_8UC1, new BytePointer(full));
            Mat scaled = new Mat();
            resize(m, scaled, new Size(width, height), 0, 0, INTER_NEAREST);
            return scaled;
        }
        int[] b = o.bbox();
        if (b == null || b.length != 4) {
            return null;
        }
        double sx = (double) width / frameWidth;
        double sy = (double) height / frameHeight;
        int x0 = clamp((int) Math.floor(b[0] * sx), width);
        int y0 = clamp((int) Math.floor(b[1] * sy), height);
        int x1 = clamp((int) Math.ceil((b[0] + b[2]) * sx), width);
        int y1 = clamp((int) Math.ceil((b[1] + b[3]) * sy), height);
        if (x1 <= x0 || y1 <= y0) {
            return null;
        }
        Mat m = new Mat(height, width, CV_8UC1, Scalar.all(0));
        m.apply(new Rect(x0, y0, x1 - x0, y1 - y0)).put(Scalar.all(255));
        return m;
    }

    /** Null when there is no mask or it is malformed: the box stands in. */
    private static byte[] decoded(TrackedObject.MaskRle rle) {
        try {
            return rle == null ? null : CocoRle.decode(rle);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
