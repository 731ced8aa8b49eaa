package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A command sent to a PTZ camera and the camera state after it ({@code ptz_commands_exchange}).
 * {@code command} is one of move_relative, move_to, go_preset, stop; speeds are in [-1, 1], angles in degrees.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record PtzCommand(String schema, String cameraId, String streamId, long frameNumber, long captureTs,
                         String command, String policy, Double panSpeed, Double tiltSpeed, Double zoomSpeed,
                         double panDeg, double tiltDeg, double zoom, Long targetId) {
    public static final String SCHEMA = "ptz_command/1";
}
