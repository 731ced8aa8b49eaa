package io.visionfleet.storage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.storage.archive.Gap;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.archive.Session;

import java.util.List;

/** JSON shapes of the archive API (snake_case like the bus messages). */
final class ArchiveViews {
    private ArchiveViews() {
    }

    /** An archived stream: what it holds and the capture-time range it covers. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StreamSummary(String streamId, boolean recording, Long firstTs, Long lastTs, int sessions, int segments,
                         long sizeBytes) {
    }

    /** A session without its frame and segment lists (those are in {@code GET .../sessions/{id}}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SessionSummary(String sessionId, String streamId, long startTs,
                          @JsonInclude(JsonInclude.Include.ALWAYS) Long endTs,
                          @JsonInclude(JsonInclude.Include.ALWAYS) String endReason, int segments, int snapshots,
                          List<Gap> gaps) {
        static SessionSummary of(Session session) {
            return new SessionSummary(session.id(), session.streamId(), session.startTs(), session.endTs().orElse(null),
                    session.endReason().orElse(null), session.segments().size(),
                    session.frames().size(), session.gaps());
        }
    }

    /** Segments of a range and the gaps between them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SegmentList(String streamId, List<SegmentInfo> segments, List<Gap> gaps) {
    }

    /** Archived results of a range, oldest first. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResultList(String streamId, long from, long to, List<String> kinds, boolean truncated, int count,
                      List<JsonNode> results) {
    }
}
