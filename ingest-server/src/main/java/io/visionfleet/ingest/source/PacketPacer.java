package io.visionfleet.ingest.source;

/**
 * Plays a file in real time: maps each packet's decode time to the wall-clock instant it is due, which is also its
 * capture time. Each pass over the file is anchored anew, one frame interval after the last packet of the previous
 * pass, so a looped file reads as one endless live stream with increasing capture times. That holds when the
 * file is reopened late (a busy machine): reopening is the relay's work, not a pause of the stream, so the new pass
 * keeps the timeline and its first packets are simply overdue. Only a reopen later than {@link #MAX_CATCH_UP_MS}
 * starts the pass at the time it happens, leaving a gap rather than a backlog of over a second sent at once.
 */
final class PacketPacer {
    /** Used before two packets have shown the real interval. */
    private static final long DEFAULT_INTERVAL_MS = 33;
    static final long MAX_CATCH_UP_MS = 1_000;

    private boolean anchored;
    private long anchorMs;
    private double anchorSeconds;
    private long lastDueMs = Long.MIN_VALUE;
    private long intervalMs = DEFAULT_INTERVAL_MS;

    /** The wall-clock time (ms) at which a packet decoded at {@code decodeSeconds} is due, given the time now. */
    long dueMs(double decodeSeconds, long nowMs) {
        if (!anchored) {
            anchored = true;
            anchorSeconds = decodeSeconds;
            long next = lastDueMs + intervalMs;
            anchorMs = lastDueMs == Long.MIN_VALUE || nowMs - next > MAX_CATCH_UP_MS ? nowMs : next;
        }
        // timestamps that go backwards inside a pass (a broken file) must not move time backwards
        long due = Math.max(anchorMs + Math.round((decodeSeconds - anchorSeconds) * 1000), lastDueMs);
        if (lastDueMs != Long.MIN_VALUE && due > lastDueMs) {
            intervalMs = due - lastDueMs;
        }
        lastDueMs = due;
        return due;
    }

    /** The file starts again: the next packet anchors a new pass. */
    void newPass() {
        anchored = false;
    }
}
