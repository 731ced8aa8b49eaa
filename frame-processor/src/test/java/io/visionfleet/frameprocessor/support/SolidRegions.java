package io.visionfleet.frameprocessor.support;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.track.Observation;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/** Hand-made moving regions for tracker tests: a solid box of one colour. */
public final class SolidRegions {
    public static final double[] RED = {40, 40, 230};
    public static final double[] BLUE = {230, 80, 30};

    private SolidRegions() {
    }

    public static Observation region(int x, int y, int w, int h, double[] colour) {
        Mat pixels = new Mat(h, w, CV_8UC1, new Scalar(255));
        return new Observation(new Box(x, y, w, h), new Mask(x, y, pixels, w * h), 1.0, colour.clone());
    }
}
