package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One telemetry/IMU sample from a drone ({@code imu_data_exchange}). {@code data} is the sender's JSON as
 * received; {@code received_ts} is the server's receive time and {@code capture_ts} the sender's own
 * timestamp when it gave one.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record TelemetrySample(String schema, String streamId, long receivedTs, Long captureTs, JsonNode data) {
    public static final String SCHEMA = "telemetry/1";

    public static TelemetrySample of(String streamId, long receivedTs, Long captureTs, JsonNode data) {
        return new TelemetrySample(SCHEMA, streamId, receivedTs, captureTs, data);
    }
}
