package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A recorded MP4 segment was closed ({@code recordings_exchange}); times are capture times in epoch ms. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record RecordingClosed(String schema, String streamId, String path, long startTs, long endTs, long sizeBytes,
                              long frames, String reason) {
    public static final String SCHEMA = "recording_closed/1";
}
