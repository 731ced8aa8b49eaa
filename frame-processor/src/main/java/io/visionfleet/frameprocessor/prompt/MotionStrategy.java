package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.support.Natives;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * Seeds where something moves and no object is: the engine's own moving regions when it has them (the motion engine),
 * otherwise regions where consecutive frames differ.
 */
@ApplicationScoped
public class MotionStrategy implements PromptStrategy {
    public static final String NAME = "motion";
    /** Grey-level change between consecutive frames that counts as motion. */
    private static final double DIFFERENCE = 25;
    /** Smallest moving region seeded, as a fraction of the frame. */
    private static final double MIN_AREA = 0.0004;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Seeder open(int width, int height) {
        return new FrameDifference(Math.max(4, (int) (MIN_AREA * width * height)));
    }

    private static final class FrameDifference implements Seeder {
        private final int minArea;
        private final Mat previous = Natives.keep(new Mat());
        private final Mat gray = Natives.keep(new Mat());
        private final Mat kernel = Natives.keep(getStructuringElement(MORPH_ELLIPSE, new Size(7, 7)));

        FrameDifference(int minArea) {
            this.minArea = minArea;
        }

        @Override
        public List<Seed> seeds(SeedContext context) {
            List<Seed> seeds = new ArrayList<>();
            if (context.motionRegions() != null) {
                context.motionRegions().forEach(box -> seeds.add(Seed.box(box, null, 1)));
                return seeds;
            }
            cvtColor(context.bgr(), gray, COLOR_BGR2GRAY);
            if (previous.rows() == gray.rows() && previous.cols() == gray.cols()) {
                Mat moving = new Mat();
                absdiff(gray, previous, moving);
                threshold(moving, moving, DIFFERENCE, 255, THRESH_BINARY);
                dilate(moving, moving, kernel);
                for (Box box : Regions.of(moving, minArea)) {
                    if (Coverage.free(context.coverage(), box)) {
                        seeds.add(Seed.box(box, null, 1));
                    }
                }
            }
            gray.copyTo(previous);
            return seeds;
        }

        @Override
        public void close() {
            Natives.release(previous, gray, kernel);
        }
    }
}
