package io.visionfleet.storage.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A session's {@code metadata.json}: the fields of the original drone system ({@code session_id},
 * {@code start_time}, {@code end_time}, {@code total_frames}, {@code frames[]} with snapshot paths) plus the
 * segment index with time ranges, sizes and gaps. {@code end_time}, {@code end_ts} and {@code end_reason} are
 * null while the session records.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SessionDocument(String schema, String sessionId, String streamId, String startTime,
                              @JsonInclude(JsonInclude.Include.ALWAYS) String endTime, long startTs,
                              @JsonInclude(JsonInclude.Include.ALWAYS) Long endTs,
                              @JsonInclude(JsonInclude.Include.ALWAYS) String endReason, long totalFrames,
                              List<SnapshotRef> frames, List<SegmentInfo> segments, List<Gap> gaps) {
    public static final String SCHEMA = "storage_session/1";
}
