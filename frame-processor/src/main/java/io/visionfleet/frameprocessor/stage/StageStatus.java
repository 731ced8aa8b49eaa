package io.visionfleet.frameprocessor.stage;

/** Whether a pipeline stage can work, and what it runs on or why it cannot: readiness reports it per stage. */
public record StageStatus(boolean ready, String detail) {
    public static StageStatus ready(String detail) {
        return new StageStatus(true, detail);
    }

    public static StageStatus notReady(String reason) {
        return new StageStatus(false, reason);
    }
}
