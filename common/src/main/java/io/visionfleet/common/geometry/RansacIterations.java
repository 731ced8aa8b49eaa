package io.visionfleet.common.geometry;

/**
 * How many samples a RANSAC fit needs to draw: with probability {@code confidence}, at least one sample of
 * {@code sampleSize} points all of which fit the model, when a share {@code inlierShare} of the points do. RANSAC's own
 * early stop uses the best share found so far, so a fit where no model reaches the share that the caller would accept
 * runs to its cap; bounding it by the least share the caller accepts searches as long as an acceptable model needs.
 */
public final class RansacIterations {
    /** The fewest: a minimal sample of inliers carries their noise, so one all-inlier sample may not fit them all. */
    static final int MIN = 10;

    private RansacIterations() {
    }

    /** The samples needed, at least {@link #MIN} and at most {@code max}. */
    public static int forShare(double inlierShare, int sampleSize, double confidence, int max) {
        double allInliers = Math.pow(Math.min(1.0, inlierShare), sampleSize);
        double needed = allInliers >= 1 ? 1 : Math.ceil(Math.log(1 - confidence) / Math.log(1 - allInliers));
        return (int) Math.max(MIN, Math.min(max, needed));
    }
}
