package io.visionfleet.ptz.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** Body of {@code PUT /ptz/{camera}/mode}; absent fields keep their value. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModeRequest(String mode, String policy, String followBy, Long targetId, List<String> labels) {
}
