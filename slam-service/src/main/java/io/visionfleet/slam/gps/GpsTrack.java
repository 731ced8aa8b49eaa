package io.visionfleet.slam.gps;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recent GPS fixes of one stream in local metres (around the stream's first fix), answering where the camera
 * was at a given time by linear interpolation between the two fixes around it. Written by the bus thread, read
 * by the stream's thread.
 */
public final class GpsTrack implements PositionPrior {
    /** Fixes kept: about 55 min at 10 Hz, so a long segment's older keyframes keep their positions. */
    static final int CAPACITY = 32768;

    private record Point(double time, double[] enu) {
    }

    private final double maxGapSeconds;
    private final List<Point> points = new ArrayList<>();
    private LocalEnu frame;

    /** @param maxGapSeconds fixes further apart than this do not cover the time between them */
    public GpsTrack(double maxGapSeconds) {
        this.maxGapSeconds = maxGapSeconds;
    }

    /** Adds a fix; fixes not newer than the newest are dropped (interpolation needs time order). */
    public synchronized void add(GpsFix fix) {
        if (!points.isEmpty() && fix.time() <= points.get(points.size() - 1).time()) {
            return;
        }
        if (frame == null) {
            frame = new LocalEnu(fix);
        }
        points.add(new Point(fix.time(), frame.toEnu(fix)));
        if (points.size() > CAPACITY) {
            points.subList(0, CAPACITY / 4).clear(); // in batches, so adding stays cheap on average
        }
    }

    public synchronized int size() {
        return points.size();
    }

    @Override
    public synchronized Optional<double[]> position(double seconds) {
        int n = points.size();
        if (n == 0 || !(seconds >= points.get(0).time()) || seconds > points.get(n - 1).time()) {
            return Optional.empty();
        }
        // the last fix at or before the time
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (points.get(mid).time() <= seconds) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Point before = points.get(lo);
        if (lo == n - 1 || before.time() == seconds) {
            return Optional.of(before.enu().clone());
        }
        Point after = points.get(lo + 1);
        if (after.time() - before.time() > maxGapSeconds) {
            return Optional.empty();
        }
        double w = (seconds - before.time()) / (after.time() - before.time());
        double[] p = new double[3];
        for (int k = 0; k < 3; k++) {
            p[k] = before.enu()[k] + w * (after.enu()[k] - before.enu()[k]);
        }
        return Optional.of(p);
    }
}
