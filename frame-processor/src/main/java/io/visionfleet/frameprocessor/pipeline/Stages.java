package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.detect.Detector;
import io.visionfleet.frameprocessor.engine.Engine;
import io.visionfleet.frameprocessor.prompt.PromptStrategy;

/** The stages one pipeline runs: an optional detector (null for none), the engine and the prompt strategy. */
public record Stages(Detector detector, Engine engine, PromptStrategy strategy) {
}
