package io.visionfleet.slam.stream;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.slam.gps.GpsScale;

import java.util.List;

/**
 * {@code GET /streams/{id}/slam}: what the tracker of one stream is doing.
 *
 * @param intrinsics       fx, fy, cx, cy and distortion in use; null before the first frame or when none fits
 * @param intrinsicsProblem why the configured intrinsics do not fit the stream, or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SlamStatus(String streamId, String trackingState, int mapSegment, long framesProcessed,
                         long framesTracked, long failures, double[] intrinsics, String intrinsicsProblem,
                         List<Segment> segments) {

    /**
     * One map segment's size.
     *
     * @param gpsScale the segment's metric scale fitted to GPS (metres per map unit, fit residual, pairs, path
     *                 extent), or null while there is none
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Segment(int id, int keyframes, int landmarks, GpsScale.Fit gpsScale) {
    }
}
