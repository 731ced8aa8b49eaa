package io.visionfleet.frameprocessor.engine;

import io.visionfleet.frameprocessor.detect.Detection;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Seeder;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * What an engine session gets for one frame.
 *
 * @param frameIndex  0-based index of the frame within the session
 * @param elapsed     frames of the stream since the one the session was last given, skipped ones included (1 when
 *                    none was skipped, and for the first): how far the picture may have moved since
 * @param bgr         the picture, {@code CV_8UC3} BGR; valid during the call only
 * @param detections  the detector's boxes for this frame (empty without a detector)
 * @param commands    prompts and removals to apply to this frame, in arrival order; the result answers each
 * @param seeder      source of automatic prompts for new objects, null when the stream is interactive or this is not
 *                    a re-prompt frame
 * @param maxObjects  most objects the session may track at once; new ones beyond it are not created
 * @param timings     where the engine records its own sub-stages
 */
public record EngineInput(long frameIndex, int elapsed, Mat bgr, List<Detection> detections,
                          List<ObjectCommand> commands, Seeder seeder, int maxObjects, StageTimings timings) {
}
