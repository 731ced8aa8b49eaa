package io.visionfleet.frameprocessor.engine;

import java.util.List;

/**
 * An engine session's answer for one frame.
 *
 * @param objects  every object it tracks, whatever its status
 * @param removed  ids of confirmed objects that ended in this frame (left, lost too long, removed by a command)
 * @param outcomes one answer per command of the input, in the same order
 */
public record EngineResult(List<EngineObject> objects, List<Long> removed, List<CommandOutcome> outcomes) {
}
