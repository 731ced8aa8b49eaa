package io.visionfleet.frameprocessor.geom;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;

/** Operations on {@link Mask}s. */
public final class Masks {
    private Masks() {
    }

    /** One mask covering all of {@code masks} (which must not overlap for the area to be exact). */
    public static Mask union(List<Mask> masks) {
        if (masks.size() == 1) {
            return masks.get(0);
        }
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        int area = 0;
        for (Mask m : masks) {
            x0 = Math.min(x0, m.x());
            y0 = Math.min(y0, m.y());
            x1 = Math.max(x1, m.x() + m.width());
            y1 = Math.max(y1, m.y() + m.height());
            area += m.area();
        }
        Mat pixels = new Mat(y1 - y0, x1 - x0, CV_8UC1);
        pixels.put(new Scalar(0));
        for (Mask m : masks) {
            Mat roi = new Mat(pixels, new Rect(m.x() - x0, m.y() - y0, m.width(), m.height()));
            bitwise_or(roi, m.pixels(), roi);
        }
        return new Mask(x0, y0, pixels, area);
    }
}
