package io.visionfleet.slam.gps;

/**
 * One GPS position.
 *
 * @param time seconds since the epoch, on the video's capture clock
 * @param lat  latitude, degrees
 * @param lon  longitude, degrees
 * @param alt  altitude, metres
 */
public record GpsFix(double time, double lat, double lon, double alt) {
}
