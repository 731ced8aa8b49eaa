package io.visionfleet.storage.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One MP4 segment of a stream. Times are capture times in epoch ms: {@code startTs} of its first picture (also its
 * file name), {@code endTs} where the next picture would start.
 *
 * @param path        file path relative to the archive root, with {@code /}
 * @param closeReason why it was closed: {@link #LENGTH}, {@link #STREAM_LOST}, {@link #STOPPED}, ...; null while open
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SegmentInfo(String streamId, String sessionId, long startTs, long endTs, String path, long sizeBytes,
                          long frames, State state, String closeReason) {
    public static final String LENGTH = "length";
    public static final String STREAM_LOST = "stream_lost";
    public static final String STOPPED = "stopped";
    public static final String TIMESTAMP_JUMP = "timestamp_jump";
    public static final String DISK_LOW = "disk_low";
    public static final String WRITE_FAILED = "write_failed";
    /** A write failed and the disk was under its minimum free space: recording paused until space is back. */
    public static final String DISK_FULL = "disk_full";
    public static final String RECOVERED = "recovered_after_crash";

    /** A segment is written ({@code recording}) until it is closed and renamed to its final name. */
    public enum State {
        @JsonProperty("recording") RECORDING,
        @JsonProperty("closed") CLOSED
    }

    public static SegmentInfo recording(String streamId, String sessionId, long startTs, String path) {
        return new SegmentInfo(streamId, sessionId, startTs, startTs, path, 0, 0, State.RECORDING, null);
    }

    public SegmentInfo closed(long endTs, String path, long sizeBytes, long frames, String reason) {
        return new SegmentInfo(streamId, sessionId, startTs, endTs, path, sizeBytes, frames, State.CLOSED, reason);
    }

    public boolean open() {
        return state == State.RECORDING;
    }

    /** Whether the segment covers capture time {@code ts}; an open one covers everything from its start on. */
    public boolean covers(long ts) {
        return ts >= startTs && (open() || ts < endTs);
    }

    /** Whether it overlaps {@code [from, to)}. */
    public boolean overlaps(long from, long to) {
        return startTs < to && (open() || endTs > from);
    }
}
