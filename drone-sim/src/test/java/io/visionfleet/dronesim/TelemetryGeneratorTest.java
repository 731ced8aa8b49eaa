package io.visionfleet.dronesim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Tag("quick")
class TelemetryGeneratorTest {
    private static final double EARTH_RADIUS_M = 6_378_137.0;

    @Test
    void gpsTrackAttitudeAndRatesDescribeTheSameOrbit() {
        long start = 1_700_000_000_000L;
        TelemetryGenerator generator = new TelemetryGenerator(start);
        double dt = 0.05;
        for (int i = 0; i < 400; i++) {
            long t = start + Math.round(i * dt * 1000);
            JsonNode a = generator.sample(i, t);
            JsonNode b = generator.sample(i + 1, t + Math.round(dt * 1000));
            assertThat(a.get("timestamp").asLong()).isEqualTo(t);

            // velocity from two GPS fixes matches the reported velocity and the constant ground speed
            double north = Math.toRadians(b.at("/gps/lat").asDouble() - a.at("/gps/lat").asDouble()) * EARTH_RADIUS_M / dt;
            double east = Math.toRadians(b.at("/gps/lon").asDouble() - a.at("/gps/lon").asDouble()) * EARTH_RADIUS_M
                    * Math.cos(Math.toRadians(TelemetryGenerator.HOME_LAT)) / dt;
            assertThat(Math.hypot(north, east)).isCloseTo(TelemetryGenerator.SPEED_MPS, within(0.05));
            assertThat(north).isCloseTo(a.at("/velocity/north").asDouble(), within(0.2));
            assertThat(east).isCloseTo(a.at("/velocity/east").asDouble(), within(0.2));

            // the nose points along the track, and yaw turns at the body's vertical rate
            double heading = (Math.toDegrees(Math.atan2(east, north)) + 360) % 360;
            double yaw = a.at("/attitude/yaw").asDouble();
            assertThat(angleBetween(heading, yaw)).isLessThan(2.0);
            double yawRate = angleBetween(b.at("/attitude/yaw").asDouble(), yaw) / dt;
            double roll = Math.toRadians(a.at("/attitude/roll").asDouble());
            double turnRate = Math.hypot(a.at("/gyro/y").asDouble(), a.at("/gyro/z").asDouble());
            assertThat(Math.toRadians(yawRate)).isCloseTo(turnRate, within(1e-3));
            assertThat(Math.atan2(a.at("/gyro/y").asDouble(), a.at("/gyro/z").asDouble())).isCloseTo(roll, within(1e-9));
            // level coordinated turn: felt acceleration is gravity over cos(bank), straight down the body
            assertThat(a.at("/accel/z").asDouble()).isCloseTo(-9.80665 / Math.cos(roll), within(1e-9));

            double climb = -(b.at("/gps/alt").asDouble() - a.at("/gps/alt").asDouble()) / dt;
            assertThat(climb).isCloseTo(a.at("/velocity/down").asDouble(), within(0.02));
            assertThat(a.at("/gps/alt").asDouble() - TelemetryGenerator.HOME_ALT_M).isBetween(37.9, 42.1);
        }
    }

    private static double angleBetween(double a, double b) {
        double d = Math.abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }
}
