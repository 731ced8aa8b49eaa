package io.visionfleet.slam.gps;

import io.visionfleet.common.bus.Json;
import io.visionfleet.slam.imu.TelemetryParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Local east-north-up metres from GPS, the per-stream track's interpolation, and reading fixes from telemetry. */
@Tag("quick")
class GpsTrackTest {
    private static final GpsFix MUNICH = new GpsFix(0, 48.1374, 11.5755, 52.0);

    @Test
    void enuGivesMetresAlongTheAxes() {
        LocalEnu enu = new LocalEnu(MUNICH);
        // a thousandth of a degree of latitude is 111.195 m on the mean sphere; of longitude, that times cos(lat)
        assertThat(enu.toEnu(new GpsFix(1, 48.1384, 11.5755, 52.0))).containsExactly(new double[]{0, 111.195, 0}, within(0.001));
        assertThat(enu.toEnu(new GpsFix(1, 48.1374, 11.5765, 40.0)))
                .containsExactly(new double[]{111.195 * Math.cos(Math.toRadians(48.1374)), 0, -12}, within(0.001));
        // 500 m north-east matches the haversine distance to 0.1 %
        GpsFix far = new GpsFix(1, 48.1374 + 0.0031800, 11.5755 + 0.0047600, 52.0);
        double[] p = enu.toEnu(far);
        assertThat(Math.hypot(p[0], p[1])).isCloseTo(haversine(MUNICH, far), within(haversine(MUNICH, far) * 1e-3));
    }

    @Test
    void enuTakesTheShortWayAcrossTheAntimeridian() {
        LocalEnu enu = new LocalEnu(new GpsFix(0, 0, 179.9999, 0));
        assertThat(enu.toEnu(new GpsFix(1, 0, -179.9999, 0))[0]).isCloseTo(22.24, within(0.01));
    }

    @Test
    void trackInterpolatesBetweenFixesAndNotAcrossGaps() {
        GpsTrack track = new GpsTrack(2.0);
        track.add(new GpsFix(10.0, 48.1374, 11.5755, 52.0));
        track.add(new GpsFix(11.0, 48.1384, 11.5755, 54.0));
        track.add(new GpsFix(10.5, 0, 0, 0)); // out of order: dropped
        track.add(new GpsFix(20.0, 48.1384, 11.5755, 54.0)); // 9 s later: the gap is not covered
        assertThat(track.size()).isEqualTo(3);
        assertThat(track.position(10.25).orElseThrow()).containsExactly(new double[]{0, 27.799, 0.5}, within(0.001));
        assertThat(track.position(11.0).orElseThrow()).containsExactly(new double[]{0, 111.195, 2}, within(0.001));
        assertThat(track.position(9.9)).isEmpty();
        assertThat(track.position(15.0)).isEmpty();
        assertThat(track.position(20.5)).isEmpty();
        assertThat(new GpsTrack(2.0).position(10)).isEmpty();
    }

    @Test
    void readsGpsFromTelemetryAndRejectsGarbage() throws Exception {
        GpsFix fix = TelemetryParser.parseGps(Json.MAPPER.readTree(
                "{\"timestamp\":1795290000131,\"gps\":{\"lat\":48.1374,\"lon\":11.5755,\"alt\":52.0}}"), 1795290000131.0).orElseThrow();
        assertThat(fix).isEqualTo(new GpsFix(1795290000.131, 48.1374, 11.5755, 52.0));
        for (String data : new String[]{
                "{\"gyro\":[0,0,0],\"accel\":[0,0,9.8]}",
                "{\"gps\":{\"lat\":48.1,\"lon\":11.5}}",
                "{\"gps\":{\"lat\":91,\"lon\":11.5,\"alt\":0}}",
                "{\"gps\":{\"lat\":48.1,\"lon\":\"east\",\"alt\":0}}",
                "{\"gps\":{\"lat\":48.1,\"lon\":11.5,\"alt\":1e9}}",
                "{\"gps\":[48.1,11.5,0]}",
                "[1,2,3]"}) {
            assertThat(TelemetryParser.parseGps(Json.MAPPER.readTree(data), 0)).as(data).isEmpty();
        }
        assertThat(TelemetryParser.parseGps(null, 0)).isEmpty();
    }

    private static double haversine(GpsFix a, GpsFix b) {
        double dLat = Math.toRadians(b.lat() - a.lat());
        double dLon = Math.toRadians(b.lon() - a.lon());
        double h = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(a.lat())) * Math.cos(Math.toRadians(b.lat())) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * LocalEnu.EARTH_RADIUS * Math.asin(Math.sqrt(h));
    }
}
