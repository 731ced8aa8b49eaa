package io.visionfleet.slam.tracking;

import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_features2d.FastFeatureDetector;

import java.util.Arrays;

/**
 * FAST corners spread over a grid: the picture is cut into cells and each free cell keeps its strongest
 * corner, so features cover the whole view instead of bunching on the most textured object (which would make
 * pose estimates poorly conditioned). A low FAST threshold lets weakly textured cells get a feature too; where
 * texture is strong the strongest corner wins anyway.
 */
final class FeatureGrid implements AutoCloseable {
    private final TrackerSettings settings;
    private final FastFeatureDetector fast;

    FeatureGrid(TrackerSettings settings) {
        this.settings = settings;
        this.fast = keep(FastFeatureDetector.create(settings.fastThreshold(), true, FastFeatureDetector.TYPE_9_16));
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
     * border; returns packed {@code (x, y)} pairs.
     */
    float[] detect(Mat gray, boolean[] occupied, int margin) {
        int w = gray.cols();
        int h = gray.rows();
        float[] best = new float[cells() * 3];
        Arrays.fill(best, -1);
        collect(gray, occupied, margin, best, w, h);
        int found = count(best);
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

    private void collect(Mat gray, boolean[] occupied, int margin, float[] best, int w, int h) {
        KeyPointVector keypoints = new KeyPointVector();
        fast.detect(gray, keypoints);
        float[] kp = NativeMats.readKeyPoints(keypoints);
        for (int i = 0; i < kp.length; i += NativeMats.KEYPOINT_FLOATS) {
            float x = kp[i];
            float y = kp[i + 1];
            if (x < margin || y < margin || x >= w - margin || y >= h - margin) {
                continue;
            }
            int c = cell(x, y, w, h);
            if (c < 0 || occupied[c]) {
                continue;
            }
            float response = kp[i + 4];
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

    @Override
    public void close() {
        fast.releaseReference();
    }
}
