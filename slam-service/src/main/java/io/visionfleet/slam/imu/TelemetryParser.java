package io.visionfleet.slam.imu;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.slam.gps.GpsFix;

import java.util.Optional;

/**
 * Reads gyro and accelerometer values from a {@code telemetry/1} sample's {@code data}: {@code gyro} and
 * {@code accel} each as {@code {"x":..,"y":..,"z":..}} or {@code [x, y, z]}. Samples without both, or with
 * values that are not finite numbers, are not IMU samples and are skipped. GPS positions come from
 * {@code gps: {"lat":..,"lon":..,"alt":..}} (degrees, metres).
 */
public final class TelemetryParser {
    /** Values beyond these are sensor garbage or hostile input, not motion (about 115 rad/s and 100 g). */
    private static final double MAX_GYRO = 2000;
    private static final double MAX_ACCEL = 1000;
    /** Altitudes beyond this (metres) are garbage, not flight. */
    private static final double MAX_ALT = 100_000;

    private TelemetryParser() {
    }

    /**
     * @param timeMs the sample's capture time (or receive time when the sender gave none), epoch ms
     */
    public static Optional<ImuReading> parse(JsonNode data, double timeMs) {
        if (data == null || !data.isObject()) {
            return Optional.empty();
        }
        double[] gyro = vector(data.get("gyro"), MAX_GYRO);
        double[] accel = vector(data.get("accel"), MAX_ACCEL);
        if (gyro == null || accel == null) {
            return Optional.empty();
        }
        return Optional.of(new ImuReading(timeMs / 1000.0, gyro, accel));
    }

    /**
     * The sample's GPS position, or empty without a complete, plausible one.
     *
     * @param timeMs the sample's capture time (or receive time when the sender gave none), epoch ms
     */
    public static Optional<GpsFix> parseGps(JsonNode data, double timeMs) {
        JsonNode gps = data == null || !data.isObject() ? null : data.get("gps");
        if (gps == null || !gps.isObject()) {
            return Optional.empty();
        }
        double lat = number(gps.get("lat"), 90);
        double lon = number(gps.get("lon"), 180);
        double alt = number(gps.get("alt"), MAX_ALT);
        if (Double.isNaN(lat) || Double.isNaN(lon) || Double.isNaN(alt)) {
            return Optional.empty();
        }
        return Optional.of(new GpsFix(timeMs / 1000.0, lat, lon, alt));
    }

    /** The node's value when it is a finite number within {@code ±limit}, else NaN. */
    private static double number(JsonNode node, double limit) {
        if (node == null || !node.isNumber()) {
            return Double.NaN;
        }
        double v = node.asDouble();
        return Double.isFinite(v) && Math.abs(v) <= limit ? v : Double.NaN;
    }

    private static double[] vector(JsonNode node, double limit) {
        if (node == null) {
            return null;
        }
        JsonNode x;
        JsonNode y;
        JsonNode z;
        if (node.isArray() && node.size() == 3) {
            x = node.get(0);
            y = node.get(1);
            z = node.get(2);
        } else if (node.isObject()) {
            x = node.get("x");
            y = node.get("y");
            z = node.get("z");
        } else {
            return null;
        }
        if (x == null || y == null || z == null || !x.isNumber() || !y.isNumber() || !z.isNumber()) {
            return null;
        }
        double[] v = {x.asDouble(), y.asDouble(), z.asDouble()};
        for (double c : v) {
            if (!Double.isFinite(c) || Math.abs(c) > limit) {
                return null;
            }
        }
        return v;
    }
}
