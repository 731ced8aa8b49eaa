package io.visionfleet.slam.tracking;

import io.visionfleet.slam.geometry.Pose;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.opencv.opencv_core.KeyPoint;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_features2d.FastFeatureDetector;
import org.bytedeco.opencv.opencv_features2d.KeyPointsFilter;
import org.bytedeco.opencv.opencv_features2d.ORB;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the camera again in an earlier map after tracking was lost. Keyframes keep ORB descriptors of the
 * landmarks they observed; a lost frame's FAST corners are described the same way (upright ORB: relocalisation
 * happens from nearby viewpoints, and skipping orientation keeps both sides consistent), matched by Hamming
 * distance with a ratio test, and the keyframes with most matches are tried with PnP-RANSAC.
 */
final class Relocalizer implements AutoCloseable {
    /** A relocalised pose and the query features that support it. */
    record Found(MapSegment segment, Keyframe keyframe, Pose worldToCamera, float[] raw, Landmark[] landmarks, int count) {
    }

    private static final int PATCH = 31;
    private static final int QUERY_FEATURES = 500;
    private static final int MAX_DISTANCE = 64;
    private static final double RATIO = 0.8;
    private static final int CANDIDATES_TRIED = 3;

    private final TrackerSettings settings;
    private final ORB orb;
    private final FastFeatureDetector fast;

    Relocalizer(TrackerSettings settings) {
        this.settings = settings;
        this.orb = ORB.create(QUERY_FEATURES, 1.2f, 1, PATCH, 0, 2, ORB.HARRIS_SCORE, PATCH, settings.fastThreshold());
        this.orb.retainReference(); // lives with the tracker, beyond the frame scope it may be created in
        this.fast = FastFeatureDetector.create(settings.fastThreshold(), true, FastFeatureDetector.TYPE_9_16);
        this.fast.retainReference();
    }

    /**
     * ORB descriptors of the {@code n} raw pixels {@code xy}: entry i is null where the patch leaves the picture.
     */
    long[][] describe(Mat gray, float[] xy, int n) {
        KeyPointVector keypoints = new KeyPointVector();
        for (int i = 0; i < n; i++) {
            keypoints.push_back(new KeyPoint(xy[2 * i], xy[2 * i + 1], PATCH, -1, 0, 0, i));
        }
        return describe(gray, keypoints, n, null);
    }

    /** Describes {@code keypoints} (class ids index the result) and stores their positions in {@code positions}. */
    private long[][] describe(Mat gray, KeyPointVector keypoints, int n, float[] positions) {
        Mat descriptors = new Mat();
        orb.compute(gray, keypoints, descriptors);
        long[][] out = new long[n][];
        long kept = keypoints.size();
        if (kept == 0 || descriptors.rows() != kept) {
            return out;
        }
        long[] bits = new long[(int) kept * 4];
        new LongPointer(descriptors.data()).get(bits);
        float[] kp = NativeMats.readKeyPoints(keypoints);
        for (int k = 0; k < kept; k++) {
            int base = k * NativeMats.KEYPOINT_FLOATS;
            int i = Float.floatToRawIntBits(kp[base + 6]); // class id: the index the caller gave
            out[i] = new long[]{bits[4 * k], bits[4 * k + 1], bits[4 * k + 2], bits[4 * k + 3]};
            if (positions != null) {
                positions[2 * i] = kp[base];
                positions[2 * i + 1] = kp[base + 1];
            }
        }
        return out;
    }

    /**
     * Tries the most recent keyframes, newest segment first, at most {@code relocKeyframes} of them so the cost of a
     * lost frame stays bounded however many segments exist; null when none fits.
     */
    Found relocalize(Mat gray, List<MapSegment> segments, CameraModel camera) {
        KeyPointVector detected = new KeyPointVector();
        fast.detect(gray, detected);
        KeyPointsFilter.retainBest(detected, QUERY_FEATURES);
        float[] corners = NativeMats.readKeyPoints(detected);
        int n = corners.length / NativeMats.KEYPOINT_FLOATS;
        if (n < settings.relocMinInliers()) {
            return null;
        }
        KeyPointVector keypoints = new KeyPointVector();
        for (int i = 0; i < n; i++) {
            int base = i * NativeMats.KEYPOINT_FLOATS;
            keypoints.push_back(new KeyPoint(corners[base], corners[base + 1], PATCH, -1, 0, 0, i));
        }
        float[] positions = new float[2 * n];
        long[][] query = describe(gray, keypoints, n, positions);
        List<Candidate> candidates = new ArrayList<>();
        int budget = settings.relocKeyframes();
        for (int s = segments.size() - 1; s >= 0 && budget > 0; s--) {
            List<Keyframe> kfs = segments.get(s).keyframes;
            for (int k = kfs.size() - 1; k >= 0 && budget > 0; k--, budget--) {
                Candidate c = match(segments.get(s), kfs.get(k), query);
                if (c.count >= settings.relocMinInliers()) {
                    candidates.add(c);
                }
            }
        }
        candidates.sort(Comparator.comparingInt((Candidate c) -> c.count).reversed());
        for (Candidate c : candidates.subList(0, Math.min(CANDIDATES_TRIED, candidates.size()))) {
            Found found = solve(c, positions, camera);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private record Candidate(MapSegment segment, Keyframe keyframe, int[] queryIndex, Landmark[] landmarks, int count) {
    }

    private Candidate match(MapSegment segment, Keyframe kf, long[][] query) {
        int[] queryIndex = new int[query.length];
        Landmark[] landmarks = new Landmark[query.length];
        int count = 0;
        for (int q = 0; q < query.length; q++) {
            if (query[q] == null) {
                continue;
            }
            int best = Integer.MAX_VALUE;
            int second = Integer.MAX_VALUE;
            int bestIndex = -1;
            for (int d = 0; d < kf.descriptors.length; d++) {
                if (kf.described[d].bad) {
                    continue;
                }
                int dist = hamming(query[q], kf.descriptors[d]);
                if (dist < best) {
                    second = best;
                    best = dist;
                    bestIndex = d;
                } else if (dist < second) {
                    second = dist;
                }
            }
            if (bestIndex >= 0 && best <= MAX_DISTANCE && best < RATIO * second) {
                queryIndex[count] = q;
                landmarks[count] = kf.described[bestIndex];
                count++;
            }
        }
        return new Candidate(segment, kf, queryIndex, landmarks, count);
    }

    private Found solve(Candidate c, float[] positions, CameraModel camera) {
        double[] xyz = new double[3 * c.count];
        float[] raw = new float[2 * c.count];
        for (int i = 0; i < c.count; i++) {
            System.arraycopy(c.landmarks[i].position, 0, xyz, 3 * i, 3);
            raw[2 * i] = positions[2 * c.queryIndex[i]];
            raw[2 * i + 1] = positions[2 * c.queryIndex[i] + 1];
        }
        double[] uv = camera.undistort(raw, c.count);
        PoseSolver.Result result = PoseSolver.solve(xyz, uv, c.count, camera, settings.reprojectionPx());
        if (result == null || result.inliers() < settings.relocMinInliers()) {
            return null;
        }
        float[] inRaw = new float[2 * result.inliers()];
        Landmark[] inLandmarks = new Landmark[result.inliers()];
        int k = 0;
        for (int i = 0; i < c.count; i++) {
            if (result.inlier()[i]) {
                inRaw[2 * k] = raw[2 * i];
                inRaw[2 * k + 1] = raw[2 * i + 1];
                inLandmarks[k++] = c.landmarks[i];
            }
        }
        return new Found(c.segment, c.keyframe, result.worldToCamera(), inRaw, inLandmarks, k);
    }

    private static int hamming(long[] a, long[] b) {
        return Long.bitCount(a[0] ^ b[0]) + Long.bitCount(a[1] ^ b[1]) + Long.bitCount(a[2] ^ b[2])
                + Long.bitCount(a[3] ^ b[3]);
    }

    @Override
    public void close() {
        orb.releaseReference();
        fast.releaseReference();
    }
}
