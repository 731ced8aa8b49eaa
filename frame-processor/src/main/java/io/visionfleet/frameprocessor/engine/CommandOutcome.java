package io.visionfleet.frameprocessor.engine;

/**
 * What became of a prompt or removal.
 *
 * @param applied  false when the engine could not apply it ({@code detail} says why)
 * @param objectId the object created, corrected or removed
 * @param created  true when a prompt created a new object
 */
public record CommandOutcome(boolean applied, long objectId, boolean created, String detail) {
    public static CommandOutcome created(long objectId) {
        return new CommandOutcome(true, objectId, true, "created");
    }

    public static CommandOutcome corrected(long objectId) {
        return new CommandOutcome(true, objectId, false, "corrected");
    }

    public static CommandOutcome removed(long objectId) {
        return new CommandOutcome(true, objectId, false, "removed");
    }

    public static CommandOutcome rejected(String reason) {
        return new CommandOutcome(false, 0, false, reason);
    }
}
