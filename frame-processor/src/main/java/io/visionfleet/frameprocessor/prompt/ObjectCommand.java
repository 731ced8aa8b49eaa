package io.visionfleet.frameprocessor.prompt;

/** A change to a stream's objects requested through the API or the bus, applied on the next processed frame. */
public sealed interface ObjectCommand {
    /** Select, create or correct an object from a prompt. */
    record Apply(Prompt prompt) implements ObjectCommand {
    }

    /** Stop reporting an object. */
    record Remove(long objectId) implements ObjectCommand {
    }
}
