package io.visionfleet.slam.imu;

import io.visionfleet.common.bus.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Tag("quick")
class TelemetryParserTest {

    @Test
    void readsObjectAndArrayVectors() throws Exception {
        ImuReading drone = TelemetryParser.parse(Json.MAPPER.readTree(
                "{\"gyro\":{\"x\":0.1,\"y\":0.2,\"z\":0.3},\"accel\":{\"x\":0,\"y\":0,\"z\":-9.81}}"), 1500).orElseThrow();
        assertThat(drone.time()).isEqualTo(1.5);
        assertThat(drone.gyro()).containsExactly(new double[]{0.1, 0.2, 0.3}, within(1e-12));
        ImuReading phone = TelemetryParser.parse(Json.MAPPER.readTree(
                "{\"gyro\":[0.0,0.01,0.0],\"accel\":[0.02,-0.01,9.81]}"), 0).orElseThrow();
        assertThat(phone.accel()).containsExactly(new double[]{0.02, -0.01, 9.81}, within(1e-12));
    }

    @Test
    void telemetryWithoutInertialValuesOrWithGarbageIsNotAnImuSample() throws Exception {
        for (String data : new String[]{
                "{\"gps\":{\"lat\":1,\"lon\":2}}",
                "{\"gyro\":[1,2],\"accel\":[0,0,9.8]}",
                "{\"gyro\":[\"a\",2,3],\"accel\":[0,0,9.8]}",
                "{\"gyro\":[1e308,2,3],\"accel\":[0,0,9.8]}",
                "[1,2,3]"}) {
            assertThat(TelemetryParser.parse(Json.MAPPER.readTree(data), 0)).as(data).isEmpty();
        }
    }
}
