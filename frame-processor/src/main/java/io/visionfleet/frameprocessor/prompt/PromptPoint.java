package io.visionfleet.frameprocessor.prompt;

/** A clicked point in frame pixels: positive means "this is the object", negative "this is not". */
public record PromptPoint(double x, double y, boolean positive) {
}
