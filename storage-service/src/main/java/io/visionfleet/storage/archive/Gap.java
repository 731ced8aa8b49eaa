package io.visionfleet.storage.archive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Capture time in a session with no recording, {@code [fromTs, toTs)} in epoch ms, and why. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Gap(long fromTs, long toTs, String reason) {
}
