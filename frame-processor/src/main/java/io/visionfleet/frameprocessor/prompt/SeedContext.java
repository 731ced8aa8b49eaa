package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.detect.Detection;
import io.visionfleet.frameprocessor.geom.Box;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * What a {@link Seeder} may look at. Seeds should avoid what {@code coverage} marks.
 *
 * @param bgr           the frame
 * @param detections    the detector's boxes of this frame
 * @param coverage      {@code CV_8UC1} frame-sized, non-zero where tracked objects are, or null when there are none
 * @param motionRegions moving regions no object explains, when the engine knows them (the motion engine does), else
 *                      null and a strategy that needs motion finds it itself
 */
public record SeedContext(long frameIndex, Mat bgr, List<Detection> detections, Mat coverage, List<Box> motionRegions) {
}
