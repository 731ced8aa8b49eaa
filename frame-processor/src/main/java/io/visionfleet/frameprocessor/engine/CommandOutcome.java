package io.visionfleet.frameprocessor.engine;

/**
 * What became of a prompt or removal.
 *
 * @param applied  false when the engine could not apply it ({@code detail} says why)
 * @param objectId the object created, corrected or removed
 * @param created  true when a prompt created a new object
 * @param frameCaptureTs capture time of the frame it was applied to (0 until the pipeline says), so a client can
 *                 tell which picture its prompt was checked against
 */
public record CommandOutcome(boolean applied, long objectId, boolean created, String detail, long frameCaptureTs) {
    public static CommandOutcome created(long objectId) {
        return new CommandOutcome(true, objectId, true, "created", 0);
    }

    public static CommandOutcome corrected(long objectId) {
        return new CommandOutcome(true, objectId, false, "corrected", 0);
    }

    public static CommandOutcome removed(long objectId) {
        return new CommandOutcome(true, objectId, false, "removed", 0);
    }

    public static CommandOutcome rejected(String reason) {
        return new CommandOutcome(false, 0, false, reason, 0);
    }

    /** This outcome as applied to the frame captured at {@code captureTs}. */
    public CommandOutcome atFrame(long captureTs) {
        return new CommandOutcome(applied, objectId, created, detail, captureTs);
    }
}
