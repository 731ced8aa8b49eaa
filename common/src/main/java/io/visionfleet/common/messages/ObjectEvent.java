package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A change in an object's life cycle, reported with the frame it happened in: {@code new} (first published),
 * {@code lost} (no longer visible, still predicted), {@code recovered} (visible again under its id), {@code removed}
 * (ended: left the view, lost too long, or removed by a user).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record ObjectEvent(long objectId, String event, String label) {
    public static final String NEW = "new";
    public static final String LOST = "lost";
    public static final String RECOVERED = "recovered";
    public static final String REMOVED = "removed";
}
