package io.visionfleet.dronesim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * IMU-like telemetry of a drone orbiting its home point: a level, coordinated clockwise turn at constant speed
 * with a slow altitude wave. Every field follows from the same path, so attitude, rates, accelerations and GPS
 * agree with each other (a consumer can integrate one and compare with another).
 *
 * <p>A sample is a JSON object: {@code timestamp} (epoch ms), {@code seq}; {@code attitude} roll/pitch/yaw in
 * degrees (yaw clockwise from north, roll positive right wing down); {@code gyro} body rates x/y/z in rad/s and
 * {@code accel} body specific force x/y/z in m/s² (x forward, y right, z down, so level flight reads z = -g);
 * {@code gps} lat/lon in degrees and alt in metres above sea level; {@code velocity} north/east/down in m/s.
 */
final class TelemetryGenerator {
    static final double HOME_LAT = 47.397742;
    static final double HOME_LON = 8.545594;
    static final double HOME_ALT_M = 488.0;
    static final double ORBIT_RADIUS_M = 60.0;
    static final double SPEED_MPS = 6.0;
    static final double CRUISE_HEIGHT_M = 40.0;
    static final double WAVE_HEIGHT_M = 2.0;
    static final double WAVE_PERIOD_S = 60.0;
    private static final double G = 9.80665;
    private static final double EARTH_RADIUS_M = 6_378_137.0;

    private final long startEpochMs;

    TelemetryGenerator(long startEpochMs) {
        this.startEpochMs = startEpochMs;
    }

    /** The sample at wall-clock time {@code epochMs}; the path's time is measured from the generator's start. */
    ObjectNode sample(long seq, long epochMs) {
        double t = (epochMs - startEpochMs) / 1000.0;
        double omega = SPEED_MPS / ORBIT_RADIUS_M;
        double theta = omega * t;
        double north = ORBIT_RADIUS_M * Math.cos(theta);
        double east = ORBIT_RADIUS_M * Math.sin(theta);
        double vNorth = -SPEED_MPS * Math.sin(theta);
        double vEast = SPEED_MPS * Math.cos(theta);
        double waveOmega = 2 * Math.PI / WAVE_PERIOD_S;
        double height = CRUISE_HEIGHT_M + WAVE_HEIGHT_M * Math.sin(waveOmega * t);
        double vDown = -WAVE_HEIGHT_M * waveOmega * Math.cos(waveOmega * t);

        double yaw = Math.atan2(vEast, vNorth);
        double roll = Math.atan(SPEED_MPS * omega / G); // bank of a coordinated turn
        double pitch = Math.atan2(-vDown, SPEED_MPS);   // nose follows the climb

        ObjectNode sample = JsonNodeFactory.instance.objectNode();
        sample.put("timestamp", epochMs);
        sample.put("seq", seq);
        ObjectNode attitude = sample.putObject("attitude");
        attitude.put("roll", Math.toDegrees(roll));
        attitude.put("pitch", Math.toDegrees(pitch));
        attitude.put("yaw", (Math.toDegrees(yaw) + 360) % 360);
        // a constant yaw rate omega about the vertical, seen from the banked body
        ObjectNode gyro = sample.putObject("gyro");
        gyro.put("x", 0.0);
        gyro.put("y", omega * Math.sin(roll));
        gyro.put("z", omega * Math.cos(roll));
        // in a coordinated turn the felt force stays along the body's vertical axis, grown by the bank
        ObjectNode accel = sample.putObject("accel");
        accel.put("x", 0.0);
        accel.put("y", 0.0);
        accel.put("z", -G / Math.cos(roll));
        ObjectNode gps = sample.putObject("gps");
        gps.put("lat", HOME_LAT + Math.toDegrees(north / EARTH_RADIUS_M));
        gps.put("lon", HOME_LON + Math.toDegrees(east / (EARTH_RADIUS_M * Math.cos(Math.toRadians(HOME_LAT)))));
        gps.put("alt", HOME_ALT_M + height);
        ObjectNode velocity = sample.putObject("velocity");
        velocity.put("north", vNorth);
        velocity.put("east", vEast);
        velocity.put("down", vDown);
        return sample;
    }
}
