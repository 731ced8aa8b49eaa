package io.visionfleet.slam.gps;

import io.visionfleet.slam.tracking.MonocularTracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metric scale of each map segment of one stream: every segment has its own unit (its median depth at
 * initialisation), so each is fitted on its own keyframes, and a new segment starts without a scale. Refitted
 * from all of the segment's keyframes (as bundle adjustment left them) whenever the segment gains one. Used on
 * the stream's thread only.
 */
public final class SegmentScales {
    private final PositionPrior positions;
    private final GpsScale fitter;
    private final Map<Integer, GpsScale.Fit> fits = new HashMap<>();

    public SegmentScales(PositionPrior positions, GpsScale fitter) {
        this.positions = positions;
        this.fitter = fitter;
    }

    /** Refits segment {@code segment} from its keyframes; keeps the last fit when this one cannot be made. */
    public Optional<GpsScale.Fit> update(int segment, List<MonocularTracker.KeyframePose> keyframes) {
        List<double[]> map = new ArrayList<>();
        List<double[]> gps = new ArrayList<>();
        for (MonocularTracker.KeyframePose kf : keyframes) {
            Optional<double[]> p = positions.position(kf.timestamp());
            if (p.isPresent()) {
                map.add(kf.cameraToWorld().t()); // the camera centre
                gps.add(p.get());
            }
        }
        fitter.fit(map, gps).ifPresent(f -> fits.put(segment, f));
        return get(segment);
    }

    /** The latest fit of the segment, if one was made. */
    public Optional<GpsScale.Fit> get(int segment) {
        return Optional.ofNullable(fits.get(segment));
    }
}
