package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A command sent to a PTZ camera and the camera state after it ({@code ptz_commands_exchange}).
 * {@code command} is one of move_relative, move_to, go_preset, stop, calibrate, or state (the periodic report, no
 * command);
 * speeds are in [-1, 1], angles in degrees. {@code frame_number}/{@code capture_ts} name the frame the command answers
 * (0 when it answers none); {@code issued_ts} is when it was sent (epoch ms), so {@code issued_ts - capture_ts} is the
 * latency from capture to command. {@code mode} is auto, manual or off.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record PtzCommand(String schema, String cameraId, String streamId, long frameNumber, long captureTs,
                         String command, String policy, Double panSpeed, Double tiltSpeed, Double zoomSpeed,
                         double panDeg, double tiltDeg, double zoom, Long targetId,
                         String mode, String targetLabel, long issuedTs) {
    public static final String SCHEMA = "ptz_command/1";

    /** A command without mode, target label or issue time (test publishers, older producers). */
    public PtzCommand(String schema, String cameraId, String streamId, long frameNumber, long captureTs,
                      String command, String policy, Double panSpeed, Double tiltSpeed, Double zoomSpeed,
                      double panDeg, double tiltDeg, double zoom, Long targetId) {
        this(schema, cameraId, streamId, frameNumber, captureTs, command, policy, panSpeed, tiltSpeed, zoomSpeed,
                panDeg, tiltDeg, zoom, targetId, null, null, 0);
    }
}
