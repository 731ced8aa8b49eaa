package io.visionfleet.frameprocessor.prompt;

/** A change to a stream's objects requested through the API or the bus, applied on the next processed frame. */
public sealed interface ObjectCommand {
    /**
     * Select, create or correct an object from a prompt made on the picture captured at {@code seenAtTs} (null: on
     * the frame it is applied to).
     */
    record Apply(Prompt prompt, Long seenAtTs) implements ObjectCommand {
        public Apply(Prompt prompt) {
            this(prompt, null);
        }
    }

    /** Stop reporting an object. */
    record Remove(long objectId) implements ObjectCommand {
    }
}
