package io.visionfleet.slam.gps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.slam.eval.Alignment;
import io.visionfleet.slam.geometry.Mat3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Metres per map unit from keyframe camera centres (map units) paired with GPS positions (metres): a Sim(3)
 * Umeyama fit of the GPS positions onto the centres' shape. The GPS side is the noisy one, so the least-squares
 * scale is not biased by its noise. Pairs whose residual is far above the typical one (multipath jumps) are
 * dropped and the fit is repeated once.
 */
public final class GpsScale {
    /** Residuals beyond this many times the median residual are outliers (at least {@link #MIN_OUTLIER_M}). */
    private static final double OUTLIER_FACTOR = 3;
    private static final double MIN_OUTLIER_M = 1;

    /**
     * A scale estimate.
     *
     * @param scale   metres per map unit
     * @param rmseM   RMS distance in metres between the scaled centres and the GPS positions they were fitted to
     * @param pairs   pairs used (after dropping outliers)
     * @param extentM how far, in metres, the GPS positions reach from their first one
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Fit(double scale, double rmseM, int pairs, double extentM) {
    }

    private final double minExtentM;
    private final int minPairs;

    /**
     * @param minExtentM the GPS positions must reach this far from the first one: over a shorter path the scale is
     *                   mostly GPS noise
     * @param minPairs   keyframes with a GPS position needed at least (3 or more)
     */
    public GpsScale(double minExtentM, int minPairs) {
        this.minExtentM = minExtentM;
        this.minPairs = Math.max(3, minPairs);
    }

    /** Fits {@code gps[i] ~ s R map[i] + t}; empty while the path is too short or has too few pairs. */
    public Optional<Fit> fit(List<double[]> map, List<double[]> gps) {
        if (map.size() != gps.size()) {
            throw new IllegalArgumentException("unpaired points: " + map.size() + " map, " + gps.size() + " GPS");
        }
        if (gps.size() < minPairs) {
            return Optional.empty();
        }
        double extent = extent(gps);
        if (extent < minExtentM) {
            return Optional.empty();
        }
        Alignment first = Alignment.umeyama(map, gps, true);
        double[] residuals = residuals(first, map, gps);
        double[] sorted = residuals.clone();
        Arrays.sort(sorted);
        double limit = Math.max(MIN_OUTLIER_M, OUTLIER_FACTOR * sorted[sorted.length / 2]);
        List<double[]> keptMap = new ArrayList<>();
        List<double[]> keptGps = new ArrayList<>();
        for (int i = 0; i < residuals.length; i++) {
            if (residuals[i] <= limit) {
                keptMap.add(map.get(i));
                keptGps.add(gps.get(i));
            }
        }
        if (keptGps.size() < minPairs || extent(keptGps) < minExtentM) {
            return Optional.empty();
        }
        Alignment fit = keptGps.size() == gps.size() ? first : Alignment.umeyama(keptMap, keptGps, true);
        if (!(fit.scale() > 0) || !Double.isFinite(fit.scale())) {
            return Optional.empty(); // the map positions coincide: no shape to compare
        }
        double sum = 0;
        for (double r : residuals(fit, keptMap, keptGps)) {
            sum += r * r;
        }
        return Optional.of(new Fit(fit.scale(), Math.sqrt(sum / keptGps.size()), keptGps.size(), extent));
    }

    private static double[] residuals(Alignment a, List<double[]> map, List<double[]> gps) {
        double[] r = new double[map.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Mat3.norm(Mat3.sub(a.apply(map.get(i)), gps.get(i)));
        }
        return r;
    }

    private static double extent(List<double[]> points) {
        double max = 0;
        for (double[] p : points) {
            max = Math.max(max, Mat3.norm(Mat3.sub(p, points.get(0))));
        }
        return max;
    }
}
