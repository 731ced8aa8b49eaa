package io.visionfleet.slam.tracking;

/**
 * Tuning of {@link MonocularTracker}. Pixel values are in the picture's own pixels; the feature grid scales with
 * the picture, so the same settings serve 320x240 and 1280x720.
 *
 * @param gridColumns         feature grid columns: at most one feature is kept per cell
 * @param gridRows            feature grid rows
 * @param fastThreshold       FAST intensity threshold for new features (also of relocalisation's query corners)
 * @param kltWindow           KLT window side in pixels
 * @param kltLevels           KLT pyramid levels above the full picture
 * @param forwardBackwardPx   a track is dropped when tracking it back misses its start by more than this
 * @param reprojectionPx      inlier threshold of PnP, triangulation and bundle adjustment
 * @param minTrackedInliers   fewer PnP inliers than this means tracking is lost
 * @param minFeatures         a picture with fewer detectable features than this counts as textureless
 * @param keyframeInlierRatio a keyframe is made when inliers fall below this share of the last keyframe's
 * @param keyframeMinInliers  ... or below this count
 * @param keyframeParallaxDeg ... or when candidate features have moved this far (as ray angle) since they appeared
 * @param minTriangulationDeg a candidate becomes a landmark once the rays of its two views differ by this angle
 * @param windowKeyframes     keyframes optimised by the local bundle adjustment
 * @param baIterations        Levenberg-Marquardt iterations of one local bundle adjustment
 * @param initMinPoints       points a two-view initialisation must triangulate
 * @param initMinParallaxDeg  median ray angle a two-view initialisation needs (rejects rotation-only motion)
 * @param initMaxFrames       frames a reference waits for enough parallax before it is replaced
 * @param relocMinInliers     PnP inliers that accept a relocalisation
 * @param relocKeyframes      most recent keyframes (newest segments first) searched per relocalisation attempt
 * @param maxKeyframes        keyframes kept over all segments: beyond it the oldest are forgotten (older segments
 *                            first), with the landmarks only they observed, so memory stays bounded on long runs
 */
public record TrackerSettings(int gridColumns, int gridRows, int fastThreshold, int kltWindow, int kltLevels,
                              double forwardBackwardPx, double reprojectionPx, int minTrackedInliers, int minFeatures,
                              double keyframeInlierRatio, int keyframeMinInliers, double keyframeParallaxDeg,
                              double minTriangulationDeg, int windowKeyframes, int baIterations, int initMinPoints,
                              double initMinParallaxDeg, int initMaxFrames, int relocMinInliers, int relocKeyframes,
                              int maxKeyframes) {

    /** The same settings keeping at most {@code max} keyframes. */
    public TrackerSettings withMaxKeyframes(int max) {
        return new TrackerSettings(gridColumns, gridRows, fastThreshold, kltWindow, kltLevels, forwardBackwardPx,
                reprojectionPx, minTrackedInliers, minFeatures, keyframeInlierRatio, keyframeMinInliers,
                keyframeParallaxDeg, minTriangulationDeg, windowKeyframes, baIterations, initMinPoints,
                initMinParallaxDeg, initMaxFrames, relocMinInliers, relocKeyframes, max);
    }

    public static TrackerSettings defaults() {
        return new TrackerSettings(20, 15, 12, 11, 3,
                0.7, 2.0, 20, 30,
                0.7, 80, 4.0,
                1.5, 7, 8, 60,
                2.5, 60, 30, 20,
                1000);
    }
}
