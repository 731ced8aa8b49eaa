package io.visionfleet.frameprocessor.output;

import io.visionfleet.frameprocessor.geom.Mask;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_64FC4;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * Draws the published objects over the frame (mask tinted in the object's colour, box, "id label" caption) and
 * encodes the result as JPEG. Colours come from the id, so an object keeps its colour from frame to frame.
 */
public final class OverlayRenderer {
    private static final int[][] PALETTE = {
            {56, 56, 255}, {255, 159, 56}, {56, 220, 56}, {0, 210, 255}, {255, 56, 200}, {200, 255, 56},
            {255, 255, 56}, {130, 56, 255}, {56, 130, 255}, {180, 180, 255}};

    private final double alpha;
    private final int quality;

    public OverlayRenderer(double alpha, int quality) {
        this.alpha = Math.max(0, Math.min(1, alpha));
        this.quality = Math.max(1, Math.min(100, quality));
    }

    public byte[] render(Mat bgr, List<PublishedObject> objects) {
        Mat canvas = bgr.clone();
        for (PublishedObject o : objects) {
            Scalar colour = colour(o.id());
            Mask m = o.mask();
            Rect region = new Rect(m.x(), m.y(), m.width(), m.height());
            Mat roi = new Mat(canvas, region);
            Mat tinted = roi.clone();
            tinted.setTo(new Mat(1, 1, CV_64FC4, colour), m.pixels());
            addWeighted(tinted, alpha, roi, 1 - alpha, 0, roi);
            rectangle(canvas, region, colour, 2, LINE_AA, 0);
            String caption = o.id() + " " + o.label();
            putText(canvas, caption, new Point(m.x(), Math.max(12, m.y() - 4)), FONT_HERSHEY_SIMPLEX, 0.45, colour, 1,
                    LINE_AA, false);
        }
        BytePointer jpeg = new BytePointer();
        imencode(".jpg", canvas, jpeg, new IntPointer(IMWRITE_JPEG_QUALITY, quality));
        byte[] bytes = new byte[(int) jpeg.limit()];
        jpeg.get(bytes);
        return bytes;
    }

    private static Scalar colour(long id) {
        int[] c = PALETTE[(int) Math.floorMod(id, (long) PALETTE.length)];
        return new Scalar(c[0], c[1], c[2], 0);
    }
}
