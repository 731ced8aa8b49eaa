package io.visionfleet.slam.tracking;

import org.bytedeco.opencv.opencv_core.KeyPoint;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_features2d.FastFeatureDetector;

import java.util.Arrays;

/**
 * FAST corners spread over a grid: the picture is cut into cells and each free cell keeps its strongest
 * corner, so features cover the whole view instead of bunching on the most textured object (which would make
 * pose estimates poorly conditioned).
 */
final class FeatureGrid implements AutoCloseable {
    private final TrackerSettings settings;
    private final FastFeatureDetector fast;
    private final FastFeatureDetector fastLow;

    FeatureGrid(TrackerSettings settings) {
        this.settings = settings;
        this.fast = keep(FastFeatureDetector.create(settings.fastThreshold(), true, FastFeatureDetector.TYPE_9_16));
        this.fastLow = keep(FastFeatureDetector.create(Math.max(4, settings.fastThreshold() / 2), true, FastFeatureDetector.TYPE_9_16));
    }

    /** The detectors live as long as the tracker, beyond the per-frame scope they may be created in. */
    private static FastFeatureDetector keep(FastFeatureDetector d) {
        d.retainReference();
        return d;
    }

    /** Cell index of raw pixel {@code (x, y)} in a {@code width x height} picture, or -1 outside. */
    int cell(float x, float y, int width, int height) {
        int cx = (int) (x * settings.gridColumns() / width);
        int cy = (int) (y * settings.gridRows() / height);
        if (cx < 0 || cy < 0 || cx >= settings.gridColumns() || cy >= settings.gridRows()) {
            return -1;
        }
        return cy * settings.gridColumns() + cx;
    }

    int cells() {
        return settings.gridColumns() * settings.gridRows();
    }

    /**
     * Strongest corner of every cell not marked in {@code occupied}, at least {@code margin} pixels from the
     * border; returns packed {@code (x, y)} pairs. A second pass at half the FAST threshold fills cells that stayed
     * empty, so low-contrast regions still get features.
     */
    float[] detect(Mat gray, boolean[] occupied, int margin) {
        int w = gray.cols();
        int h = gray.rows();
        float[] best = new float[cells() * 3];
        Arrays.fill(best, -1);
        collect(fast, gray, occupied, margin, best, w, h);
        int found = count(best);
        if (found < cells() - countTrue(occupied)) {
            collect(fastLow, gray, occupied, margin, best, w, h);
            found = count(best);
        }
        float[] xy = new float[2 * found];
        int k = 0;
        for (int c = 0; c < cells(); c++) {
            if (best[c * 3 + 2] >= 0) {
                xy[k++] = best[c * 3];
                xy[k++] = best[c * 3 + 1];
            }
        }
        return xy;
    }

    private void collect(FastFeatureDetector detector, Mat gray, boolean[] occupied, int margin, float[] best, int w, int h) {
        KeyPointVector keypoints = new KeyPointVector();
        detector.detect(gray, keypoints);
        long n = keypoints.size();
        for (long i = 0; i < n; i++) {
            KeyPoint kp = keypoints.get(i);
            float x = kp.pt().x();
            float y = kp.pt().y();
            if (x < margin || y < margin || x >= w - margin || y >= h - margin) {
                continue;
            }
            int c = cell(x, y, w, h);
            if (c < 0 || occupied[c]) {
                continue;
            }
            float response = kp.response();
            if (response > best[c * 3 + 2]) {
                best[c * 3] = x;
                best[c * 3 + 1] = y;
                best[c * 3 + 2] = response;
            }
        }
    }

    private int count(float[] best) {
        int n = 0;
        for (int c = 0; c < cells(); c++) {
            if (best[c * 3 + 2] >= 0) {
                n++;
            }
        }
        return n;
    }

    private static int countTrue(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            if (f) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        fast.releaseReference();
        fastLow.releaseReference();
    }
}
