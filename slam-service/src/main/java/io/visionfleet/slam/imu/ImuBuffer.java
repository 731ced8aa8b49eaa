package io.visionfleet.slam.imu;

import io.visionfleet.slam.geometry.Mat3;
import io.visionfleet.slam.tracking.ImuPrior;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The recent IMU samples of one stream, turned into camera axes, answering the tracker's questions: the
 * rotation between two frames (gyro integration) and the up direction (mean specific force). Written by the bus
 * thread, read by the stream's tracking thread.
 */
public final class ImuBuffer implements ImuPrior {
    /** Samples kept: about 20 s at 200 Hz. */
    static final int CAPACITY = 4096;
    /** A gap longer than this between samples means the interval is not covered. */
    private static final double MAX_GAP_S = 0.1;
    /** Half-width of the window whose specific force is averaged for "up". */
    private static final double UP_WINDOW_S = 0.25;
    private static final double G = 9.80665;

    private final double[] bodyToCamera;
    private final Deque<ImuReading> samples = new ArrayDeque<>();

    public ImuBuffer(double[] bodyToCamera) {
        this.bodyToCamera = bodyToCamera.clone();
    }

    /** Adds a sample (body axes); older-than-newest samples are dropped since gyro integration needs time order. */
    public synchronized void add(ImuReading reading) {
        ImuReading last = samples.peekLast();
        if (last != null && reading.time() <= last.time()) {
            return;
        }
        samples.addLast(new ImuReading(reading.time(), Mat3.apply(bodyToCamera, reading.gyro()),
                Mat3.apply(bodyToCamera, reading.accel())));
        if (samples.size() > CAPACITY) {
            samples.removeFirst();
        }
    }

    public synchronized int size() {
        return samples.size();
    }

    @Override
    public Optional<double[]> rotation(double fromSeconds, double toSeconds) {
        List<ImuReading> span = span(fromSeconds, toSeconds);
        if (span == null) {
            return Optional.empty();
        }
        // orientation of the camera at "to" relative to "from": product of exp(w dt) over the interval
        double[] r = Mat3.identity();
        for (int i = 0; i + 1 < span.size(); i++) {
            ImuReading a = span.get(i);
            ImuReading b = span.get(i + 1);
            double start = Math.max(a.time(), fromSeconds);
            double end = Math.min(b.time(), toSeconds);
            if (end <= start) {
                continue;
            }
            double[] w = Mat3.times(Mat3.add(a.gyro(), b.gyro()), 0.5);
            r = Mat3.mul(r, Mat3.exp(Mat3.times(w, end - start)));
        }
        return Optional.of(Mat3.transpose(r)); // maps camera coordinates at "from" to those at "to"
    }

    @Override
    public Optional<double[]> up(double seconds) {
        double[] sum = new double[3];
        int n = 0;
        synchronized (this) {
            for (ImuReading s : samples) {
                if (Math.abs(s.time() - seconds) <= UP_WINDOW_S) {
                    sum = Mat3.add(sum, s.accel());
                    n++;
                }
            }
        }
        if (n == 0) {
            return Optional.empty();
        }
        double norm = Mat3.norm(sum) / n;
        if (norm < 0.7 * G || norm > 1.3 * G) {
            return Optional.empty(); // accelerating hard: the mean is not gravity
        }
        return Optional.of(Mat3.times(sum, 1 / (norm * n)));
    }

    /** The samples from the last at or before {@code from} to the first at or after {@code to}, or null with a gap. */
    private synchronized List<ImuReading> span(double from, double to) {
        if (!(to > from)) {
            return null;
        }
        List<ImuReading> out = new ArrayList<>();
        ImuReading before = null;
        for (ImuReading s : samples) {
            if (s.time() <= from) {
                before = s;
                continue;
            }
            if (out.isEmpty()) {
                if (before == null) {
                    return null;
                }
                out.add(before);
            }
            if (s.time() - out.get(out.size() - 1).time() > MAX_GAP_S) {
                return null;
            }
            out.add(s);
            if (s.time() >= to) {
                return out;
            }
        }
        return null;
    }
}
